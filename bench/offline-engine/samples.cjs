#!/usr/bin/env node
// Renders the listening samples in docs/samples/ and writes their README: three
// 30 s pieces (a piano ballad, an orchestral cue, a seamless 8-bar lo-fi loop) as
// MP3, and the orchestral cue's MIDI file and stems (a ZIP of one MP3 per part).
//   node bench/offline-engine/samples.cjs
// Needs ffmpeg (MP3 encoding, and the loudness column: ffmpeg's ebur128 filter on the MP3s).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ZipFile } = require('yazl');
require('../../tools/build/register.cjs');
const { renderMusic, renderMidi, renderStems, stemFileName, encodeWavFloat32 } = require('../../libs/composer/src/index.ts');
const { measureEbur128Sync, requireFfmpeg } = require('../../tools/reference/ffmpeg-ebur128.cjs');

const SETTINGS = { durationSeconds: 30, sampleRate: 44100, quality: 'standard' };
/** MP3 bit rates: the mixes, and the stems (kept smaller: they are for editing, not for listening) */
const MIX_KBPS = 160;
const STEM_KBPS = 128;

const SAMPLES = [
  { name: 'piano-ballad', what: 'piano ballad', prompt: 'sad slow piano ballad with strings in D minor, 70 bpm', seed: 4 },
  { name: 'orchestral-cue', what: 'orchestral cue', prompt: 'epic orchestral film cue with strings, brass, choir and flute in D minor, 90 bpm', seed: 3, parts: true },
  // 8 bars of 4/4 in 30 s: 64 bpm.
  { name: 'lofi-loop', what: 'seamless 8-bar lo-fi loop', prompt: 'calm lo-fi hip hop with electric piano and vinyl crackle, 64 bpm, A minor', seed: 8, loop: true },
];

function toMp3(wavFile, mp3File, kbps) {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', wavFile, '-codec:a', 'libmp3lame', '-b:a', `${kbps}k`, mp3File]);
}

function durationSeconds(file) {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString().trim());
}

function zip(files, out) {
  return new Promise((resolve, reject) => {
    const archive = new ZipFile();
    // A fixed date keeps the ZIP byte-identical from run to run.
    for (const file of files) archive.addFile(file, path.basename(file), { mtime: new Date(Date.UTC(2026, 0, 1)), compress: false });
    archive.end();
    archive.outputStream.pipe(fs.createWriteStream(out)).on('close', resolve).on('error', reject);
  });
}

async function main() {
  requireFfmpeg();
  const dir = path.resolve(__dirname, '../../docs/samples');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'samples-'));
  const rows = [];
  try {
    for (const sample of SAMPLES) {
      const request = { ...SETTINGS, prompt: sample.prompt, seed: sample.seed, loop: sample.loop === true };
      const result = await renderMusic(request);
      const wav = path.join(work, `${sample.name}.wav`);
      fs.writeFileSync(wav, result.wav);
      const mp3 = path.join(dir, `${sample.name}.mp3`);
      toMp3(wav, mp3, MIX_KBPS);
      const measured = measureEbur128Sync(mp3);
      const row = { ...sample, result, mp3: path.basename(mp3), seconds: durationSeconds(mp3), measured, extras: [] };
      if (sample.parts) {
        const midi = `${sample.name}.mid`;
        fs.writeFileSync(path.join(dir, midi), renderMidi(request, sample.what).midi);
        const stems = [];
        for await (const stem of renderStems(request)) {
          const base = stemFileName(stem.index, stem.part.name).replace(/\.wav$/, '');
          const stemWav = path.join(work, `${base}.wav`);
          fs.writeFileSync(stemWav, encodeWavFloat32(stem.left, stem.right, stem.sampleRate));
          const stemMp3 = path.join(work, `${base}.mp3`);
          toMp3(stemWav, stemMp3, STEM_KBPS);
          stems.push(stemMp3);
        }
        const stemsZip = `${sample.name}-stems.zip`;
        await zip(stems, path.join(dir, stemsZip));
        row.extras = [midi, stemsZip];
        row.stems = stems.map((file) => path.basename(file));
      }
      rows.push(row);
      console.log(`${row.mp3}: ${result.description}; ${row.seconds.toFixed(2)} s, ${measured.integratedLufs.toFixed(1)} LUFS, ${measured.truePeakDbtp.toFixed(1)} dBTP`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const size = (file) => `${Math.round(fs.statSync(path.join(dir, file)).size / 1024)} KB`;
  const lines = [
    '# Offline engine samples',
    '',
    `Rendered by the offline music engine (\`libs/composer\`) with no model weights: ${SETTINGS.durationSeconds} s, ${SETTINGS.sampleRate} Hz stereo, quality \`${SETTINGS.quality}\``,
    '(what a user gets by default: acoustic and orchestral parts played from the bundled FluidR3Mono SoundFont, the rest synthesised),',
    `encoded as MP3 at ${MIX_KBPS} kbps by ffmpeg (libmp3lame). Loudness and true peak are ffmpeg's \`ebur128\` readings of the MP3 files;`,
    'length is ffprobe\'s (an MP3 frame is 26 ms, so the file may run a few ms past the render).',
    'Regenerate with `node bench/offline-engine/samples.cjs`.',
    '',
    '| file | what | prompt | seed | plan | length | loudness | true peak | size |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| [${r.mp3}](${r.mp3}) | ${r.what} | ${r.prompt} | ${r.seed} | ${r.result.description} | ${r.seconds.toFixed(2)} s | ` +
        `${r.measured.integratedLufs.toFixed(1)} LUFS | ${r.measured.truePeakDbtp.toFixed(1)} dBTP | ${size(r.mp3)} |`,
    ),
    '',
    ...rows
      .filter((r) => r.extras.length)
      .flatMap((r) => [
        `The ${r.what}'s parts:`,
        '',
        `- [${r.extras[0]}](${r.extras[0]}) (${size(r.extras[0])}): its score as a Standard MIDI File, type 1 (one track per part with its General MIDI program and name; tempo, time and key signatures) — what \`GET /v1/download/:id?format=midi\` returns.`,
        `- [${r.extras[1]}](${r.extras[1]}) (${size(r.extras[1])}): its stems, one per part (${r.stems.join(', ')}), before mastering. The API's \`?format=stems\` ZIP holds 32-bit float WAVs that are sample-aligned with the mix and sum back to it; here they are MP3s at ${STEM_KBPS} kbps to keep the repository small (MP3 adds encoder delay and padding, so these are for listening and editing, not for summing).`,
        '',
      ]),
    'The loop is whole bars at a tempo fitted to its length, with no intro, outro or fade and the reverb tail wrapped onto its start: the rendered WAV repeats without a seam. MP3 pads the start and the end of a file; players that read LAME\'s gapless header (most do) remove it, others leave a few ms of silence at the repeat — render a WAV (`npm run compose -- "…" --loop`) where that matters.',
    '',
    '## Plans',
    '',
    ...rows.flatMap((r) => [`### ${r.mp3}`, '', '```json', JSON.stringify(r.result.plan, null, 2), '```', '']),
  ];
  fs.writeFileSync(path.join(dir, 'README.md'), lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
