#!/usr/bin/env node
// Renders the listening samples in docs/samples/ and writes their README.
//   node bench/offline-engine/samples.cjs
const fs = require('node:fs');
const path = require('node:path');
require('../../tools/build/register.cjs');
const { renderMusic } = require('../../libs/composer/src/index.ts');
const { decodeWavPcm16, estimateKey, estimateTempo } = require('../../libs/audio/src/index.ts');

const SAMPLES = [
  { file: 'lofi-a-minor.wav', prompt: 'calm lo-fi hip hop with electric piano and vinyl crackle, 82 bpm, A minor', seed: 8 },
  { file: 'cinematic-d-minor-ko.wav', prompt: '웅장한 오케스트라 영화음악, 현악기와 브라스, 하프, D 단조', seed: 3 },
  { file: 'house-124.wav', prompt: 'uplifting house at 124 bpm with piano and bells', seed: 11 },
];
const SETTINGS = { durationSeconds: 12, sampleRate: 22050, quality: 'high' };

async function main() {
  const dir = path.resolve(__dirname, '../../docs/samples');
  fs.mkdirSync(dir, { recursive: true });
  const rows = [];
  for (const sample of SAMPLES) {
    const result = await renderMusic({ ...SETTINGS, prompt: sample.prompt, seed: sample.seed });
    fs.writeFileSync(path.join(dir, sample.file), result.wav);
    const { channels } = decodeWavPcm16(result.wav);
    const tempo = estimateTempo(channels, SETTINGS.sampleRate).bpm;
    const key = estimateKey(channels, SETTINGS.sampleRate).name;
    rows.push({ ...sample, result, tempo, key });
    console.log(`${sample.file}: ${result.description} (${(result.wav.length / 1e6).toFixed(2)} MB)`);
  }
  const lines = [
    '# Offline engine samples',
    '',
    `Rendered by the offline music engine (\`libs/composer\`) with no model weights: ${SETTINGS.durationSeconds} s, ${SETTINGS.sampleRate} Hz, 16-bit stereo, quality \`${SETTINGS.quality}\`.`,
    'Regenerate with `node bench/offline-engine/samples.cjs` (byte-identical for the same code).',
    '',
    '| file | prompt | seed | plan (extended prompt) | loudness | true peak | measured tempo / key |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| [${r.file}](${r.file}) | ${r.prompt} | ${r.seed} | ${r.result.description} | ${r.result.loudnessLufs.toFixed(1)} LUFS | ${r.result.truePeakDbtp.toFixed(1)} dBTP | ${r.tempo} bpm / ${r.key} |`),
    '',
    '## What to listen for',
    '',
    '- Harmony: each piece loops a genre progression in the key (e.g. i7–iv7–bVImaj7–v7 in lo-fi), voiced with minimal movement between chords, and ends on the tonic triad.',
    '- Form: intro (reduced parts), main, variation (second progression, B groove, drum fill at the section end), outro, then a final chord that rings out under a fade ending exactly at the last frame.',
    '- Melody: a two-bar motif answered by its variation; chord tones on strong beats, stepwise motion between, phrase ends resolving to root or third.',
    '- Feel: swung sixteenths in lo-fi, humanised timing (a few ms) and velocities, strummed/rolled chords.',
    '- Sound: additive electric/acoustic piano and bells, Karplus–Strong harp and guitars, subtractive pads/strings/brass/bass, synthesized drums, vinyl crackle; FDN reverb and ping-pong delay; mastered to −14 LUFS, true peak ≤ −1 dBTP.',
    '- Balance: below 90 Hz belongs to the bass line and the low drums (chords, pads and the reverb are high-passed there); house and cinematic pieces sit their kick, bass and low drums a few dB under the rest, so the low end supports the music instead of swamping it.',
    '',
    '## Plans',
    '',
    ...rows.flatMap((r) => [`### ${r.file}`, '', '```json', JSON.stringify(r.result.plan, null, 2), '```', '']),
  ];
  fs.writeFileSync(path.join(dir, 'README.md'), lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
