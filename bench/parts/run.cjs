#!/usr/bin/env node
// Stems and MIDI benchmark: for a few styles, the CPU time of rendering the mastered
// track (renderMusic), of its stems (every part rendered alone, then encoded as float
// WAV in chunks, as GET /v1/download/:id?format=stems does) and of its MIDI file, each in its
// own child process (one core, clean heap, after a warm-up render); CPU time, not wall
// time, since the machine may be shared. Then the peak RSS of stems against the
// mastered render at one long duration: every part is rendered into the same two
// float arrays and encoded in chunks, so stems need about what the mix needs.
//
//   node bench/parts/run.cjs                 60 s per style, then 300 s memory
//   node bench/parts/run.cjs --quick         20 s, then 60 s memory
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { setInterval, clearInterval } = require('node:timers');

const STYLES = [
  ['lo-fi', 'calm lo-fi hip hop with piano'],
  ['cinematic', 'epic cinematic orchestral'],
  ['house', 'house 124 bpm'],
  ['jazz', 'jazz trio'],
];

function inChild(what, prompt, seconds) {
  return JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'run.cjs'), '--child', what, prompt, String(seconds)], { encoding: 'utf8' }));
}

async function child([what, prompt, seconds]) {
  require('../../tools/build/register.cjs');
  const { renderMusic, renderStems, renderMidi, wavFloat32Chunks } = require(path.join(__dirname, '../../libs/composer/src/index.ts'));
  const request = (durationSeconds) => ({ prompt, durationSeconds, sampleRate: 44100, seed: 7, quality: 'standard' });
  const stems = async (req) => {
    let parts = 0;
    let bytes = 0;
    for await (const stem of renderStems(req)) {
      for (const chunk of wavFloat32Chunks(stem.left, stem.right, stem.sampleRate)) bytes += chunk.length;
      parts++;
    }
    return { parts, bytes };
  };
  const run = { mix: (req) => renderMusic(req), stems, midi: async (req) => renderMidi(req) }[what];
  await run(request(4));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  const before = process.cpuUsage();
  const result = await run(request(Number(seconds)));
  const cpu = process.cpuUsage(before);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.stdout.write(JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: peakRss / 2 ** 20, parts: result.parts, bytes: result.bytes ?? result.midi?.length ?? result.wav?.length }));
}

function main(quick) {
  const seconds = quick ? 20 : 60;
  const pad = (s, n) => String(s).padEnd(n);
  console.log(`${seconds} s stereo 44.1 kHz, standard quality; CPU seconds (× real time)\n`);
  console.log(`${pad('style', 11)}${pad('parts', 7)}${pad('mastered mix', 18)}${pad('stems', 18)}${pad('stems/mix', 11)}${pad('stems size', 12)}MIDI`);
  for (const [name, prompt] of STYLES) {
    const mix = inChild('mix', prompt, seconds);
    const stems = inChild('stems', prompt, seconds);
    const midi = inChild('midi', prompt, seconds);
    const speed = (r) => `${r.cpuSeconds.toFixed(2)} (${Math.round(seconds / r.cpuSeconds)}×)`;
    console.log(`${pad(name, 11)}${pad(stems.parts, 7)}${pad(speed(mix), 18)}${pad(speed(stems), 18)}${pad((stems.cpuSeconds / mix.cpuSeconds).toFixed(2), 11)}${pad(`${(stems.bytes / 2 ** 20).toFixed(0)} MB`, 12)}${(midi.cpuSeconds * 1000).toFixed(0)} ms, ${midi.bytes} B`);
  }
  const long = quick ? 60 : 300;
  const output = (long * 44100 * 2 * 4) / 2 ** 20;
  console.log(`\npeak RSS at ${long} s (the float mix buffers alone: ${output.toFixed(0)} MB)`);
  for (const what of ['mix', 'stems']) {
    const r = inChild(what, STYLES[1][1], long);
    console.log(`${pad(what, 8)}${r.peakRssMb.toFixed(0)} MB, ${r.cpuSeconds.toFixed(1)} s CPU`);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  child(args.slice(1)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main(args.includes('--quick'));
}
