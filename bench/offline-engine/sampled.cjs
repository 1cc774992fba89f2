#!/usr/bin/env node
// Sampled-instrument benchmark: the offline engine's standard quality, whose acoustic
// parts (piano, guitars, bass guitar, strings, brass, harp, bells, acoustic kits) play
// from the SoundFont. Renders 30 s of stereo 44.1 kHz audio per genre, each in its own
// child process (one core, clean heap, SoundFont parsed once and warmed by one short
// render, as in a worker that has served a job), and prints the speed from CPU time
// (best of --rounds, the machine is shared), the first render's CPU time (samples
// decoded on first use), peak RSS, and the loudness and true peak ffmpeg's ebur128
// filter reads from the WAV; checks ≥ 30× real time. Then a 300 s render: peak
// memory against the output itself.
//
//   node bench/offline-engine/sampled.cjs              full table, 3 rounds
//   node bench/offline-engine/sampled.cjs --rounds 1   one render per row
//   SOUNDFONT_PATH=/usr/share/sounds/sf2/FluidR3_GM.sf2 node bench/offline-engine/sampled.cjs   another bank
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { setInterval, clearInterval } = require('node:timers');

const { measureEbur128Sync, requireFfmpeg } = require('../../tools/reference/ffmpeg-ebur128.cjs');

/** the slowest acceptable sampled render, in × real time on one core */
const MIN_SPEED = 30;
const SECONDS = 30;

const GENRES = [
  ['piano ballad', 'romantic piano ballad with strings'],
  ['cinematic', 'epic cinematic orchestral'],
  ['classical', 'classical piano nocturne'],
  ['jazz', 'jazz trio'],
  ['rock', 'indie rock'],
  ['funk', 'funky groove'],
  ['lo-fi', 'calm lo-fi hip hop with piano'],
  ['acoustic', 'acoustic guitar and harp folk song'],
];

function inChild(args) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sampled-bench-'));
  const wavPath = path.join(dir, 'render.wav');
  try {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'sampled.cjs'), '--child', wavPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const result = JSON.parse(out);
    const reference = measureEbur128Sync(wavPath);
    return { ...result, ffmpegLufs: reference.integratedLufs, ffmpegTruePeak: reference.truePeakDbtp };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child([wavPath, prompt, duration, rounds]) {
  require('../../tools/build/register.cjs');
  const { renderMusic, loadSoundFont } = require(path.join(__dirname, '../../libs/composer/src/index.ts'));
  const { QUALITY } = require(path.join(__dirname, '../../libs/composer/src/quality.ts'));
  const durationSeconds = Number(duration);
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  let before = cpu();
  const soundFont = await loadSoundFont(process.env.SOUNDFONT_PATH || undefined);
  const loadCpu = cpu() - before;
  before = cpu();
  // First render in the process: decodes the samples it needs; then the process is warm.
  await renderMusic({ prompt, durationSeconds: 4, sampleRate: 44100, seed: 99, quality: 'standard' }, { soundFont });
  const firstCpu = cpu() - before;
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  let best = Infinity;
  let result;
  for (let round = 0; round < Number(rounds); round++) {
    before = cpu();
    result = await renderMusic({ prompt, durationSeconds, sampleRate: 44100, seed: 1, quality: 'standard' }, { soundFont });
    best = Math.min(best, cpu() - before);
  }
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  writeFileSync(wavPath, result.wav);
  const sampled = sampledParts(result.plan, soundFont, durationSeconds);
  process.stdout.write(
    JSON.stringify({ cpuSeconds: best, loadCpu, firstCpu, peakRssMb: peakRss / 2 ** 20, growthMb: (peakRss - rssBefore) / 2 ** 20, outputMb: result.wav.length / 2 ** 20, lufs: result.loudnessLufs, truePeak: result.truePeakDbtp, sampled, standardIsSampled: QUALITY.standard.sampled }),
  );
}

/** The tracks of the piece the SoundFont plays, as "instrument/role" names. */
function sampledParts(plan, soundFont, durationSeconds) {
  const { compose } = require(path.join(__dirname, '../../libs/composer/src/compose/compose.ts'));
  const { STYLES } = require(path.join(__dirname, '../../libs/composer/src/compose/styles.ts'));
  const { SampledBand } = require(path.join(__dirname, '../../libs/composer/src/soundfont/band.ts'));
  const score = compose(plan, durationSeconds);
  const band = new SampledBand(score, plan, STYLES[plan.genre], soundFont, 44100, 1024, 'linear');
  const names = score.tracks.filter((_, i) => band.plays(i)).map((t) => (t.source.type === 'drum' ? `kit:${t.source.piece}` : t.id));
  const kit = names.filter((n) => n.startsWith('kit:')).length;
  return [...names.filter((n) => !n.startsWith('kit:')), ...(kit ? [`kit (${kit} sounds)`] : [])].join(', ');
}

const pad = (value, width) => String(value).padStart(width);

function main() {
  requireFfmpeg();
  const roundsAt = process.argv.indexOf('--rounds');
  const rounds = roundsAt > 0 ? Math.max(1, Number(process.argv[roundsAt + 1]) || 1) : 3;
  console.log(`sampled path (quality standard), ${SECONDS} s stereo 44.1 kHz 16-bit, one core; CPU time, best of ${rounds}; bank: ${process.env.SOUNDFONT_PATH || 'bundled FluidR3Mono_GM.sf3'}\n`);
  console.log(`${'genre'.padEnd(13)} ${pad('CPU s', 6)} ${pad('CPU ×', 6)} ${pad('1st render', 10)} ${pad('bank load', 9)} ${pad('peak RSS MB', 12)} ${pad('LUFS', 6)} ${pad('dBTP', 5)} ${pad('ffmpeg LUFS', 12)} ${pad('ffmpeg dBTP', 12)}  sampled parts`);
  const rows = [];
  for (const [name, prompt] of GENRES) {
    const r = inChild([prompt, String(SECONDS), String(rounds)]);
    rows.push(r);
    console.log(
      `${name.padEnd(13)} ${pad(r.cpuSeconds.toFixed(2), 6)} ${pad((SECONDS / r.cpuSeconds).toFixed(0) + '×', 6)} ${pad(r.firstCpu.toFixed(2) + ' s', 10)} ${pad(r.loadCpu.toFixed(2) + ' s', 9)} ${pad(r.peakRssMb.toFixed(0), 12)} ${pad(r.lufs.toFixed(1), 6)} ${pad(r.truePeak.toFixed(1), 5)} ${pad(r.ffmpegLufs.toFixed(1), 12)} ${pad(r.ffmpegTruePeak.toFixed(1), 12)}  ${r.sampled}`,
    );
  }
  const slowest = Math.min(...rows.map((r) => SECONDS / r.cpuSeconds));
  const loudest = Math.max(...rows.map((r) => r.ffmpegTruePeak));
  const loudness = rows.map((r) => r.ffmpegLufs);
  console.log(`\nspeed: slowest ${slowest.toFixed(0)}× real time by CPU time (need ≥ ${MIN_SPEED}×): ${slowest >= MIN_SPEED ? 'ok' : 'TOO SLOW'}`);
  console.log(`ffmpeg: true peak ≤ ${loudest.toFixed(2)} dBTP (need ≤ −1.0): ${loudest <= -1 ? 'ok' : 'OVER'}; loudness ${Math.min(...loudness).toFixed(2)} … ${Math.max(...loudness).toFixed(2)} LUFS (need −14 ± 0.5): ${loudness.every((l) => Math.abs(l + 14) <= 0.5) ? 'ok' : 'OFF'}`);
  console.log('\nmemory vs duration (piano ballad, sampled): RSS growth during the render against the output');
  for (const duration of [30, 300]) {
    const r = inChild([GENRES[0][1], String(duration), '1']);
    // The output is the float mix (2 × 4 bytes a frame); the WAV is written over its left channel.
    const output = (duration * 44100 * 2 * 4) / 2 ** 20;
    console.log(`${pad(duration, 4)} s: peak RSS ${pad(r.peakRssMb.toFixed(0), 4)} MB; growth ${pad(r.growthMb.toFixed(0), 4)} MB = output ${output.toFixed(1)} MB (float mix; the ${r.outputMb.toFixed(1)} MB WAV written over its left channel) + working set ${pad((r.growthMb - output).toFixed(0), 4)} MB; CPU ${(duration / r.cpuSeconds).toFixed(0)}×`);
  }
}

if (process.argv[2] === '--child') {
  child(process.argv.slice(3)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main();
}
