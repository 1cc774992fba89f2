/* global window */
// How seamlessly Chromium repeats a loop track: an <audio loop> element (what the web
// player does), restarting it on `ended` (what it does for other tracks), and a decoded
// AudioBuffer played by an AudioBufferSourceNode with loop = true. The page
// plays a 2 s, 440 Hz sine (exactly 880 cycles, so its end flows into its start) through
// Web Audio and counts, at each restart, the samples that are silent or jump off the sine.
// Usage: node bench/loop-gap/run.cjs [seconds=7]
const { Buffer } = require('node:buffer');
const http = require('node:http');
const { chromium } = require('playwright-core');

const RATE = 44100;
const SECONDS = 2;
const listen = Number(process.argv[2] ?? 7);

function sineWav() {
  const frames = RATE * SECONDS;
  const data = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / RATE) * 0.5 * 32767), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const page = (mode) => `<!doctype html><body><script>
(async () => {
  const context = new AudioContext({ sampleRate: ${RATE} });
  let audio, source;
  if (${JSON.stringify(mode)} === 'buffer') {
    source = context.createBufferSource();
    source.buffer = await context.decodeAudioData(await (await fetch('/tone.wav')).arrayBuffer());
    source.loop = true;
    audio = { play: async () => source.start(), pause: () => source.stop() };
  } else {
    audio = new Audio('/tone.wav');
    ${mode === 'loop' ? 'audio.loop = true;' : "audio.addEventListener('ended', () => { audio.currentTime = 0; audio.play(); });"}
    source = context.createMediaElementSource(audio);
  }
  const tap = context.createScriptProcessor(4096, 1, 1);
  const samples = [];
  tap.onaudioprocess = (e) => { samples.push(Float32Array.from(e.inputBuffer.getChannelData(0))); };
  source.connect(tap);
  tap.connect(context.destination);
  await audio.play();
  setTimeout(() => {
    audio.pause();
    const all = new Float32Array(samples.reduce((n, s) => n + s.length, 0));
    let at = 0;
    for (const s of samples) { all.set(s, at); at += s.length; }
    // from the first sound on: silent runs longer than 3 samples, and jumps off a 0.5 sine's slope
    let start = all.findIndex((x) => Math.abs(x) > 0.05);
    let silent = 0, run = 0, gaps = 0, jumps = 0;
    for (let i = start + 1; i < all.length; i++) {
      if (Math.abs(all[i]) < 0.01) run++;
      else { if (run > 3) { gaps++; silent += run; } run = 0; }
      if (Math.abs(all[i] - all[i - 1]) > 0.1) jumps++;
    }
    window.result = { heard: (all.length - start) / ${RATE}, gaps, silentMs: (silent / ${RATE}) * 1000, jumps };
  }, ${listen * 1000});
})().catch((e) => (window.result = { error: String(e) }));
</script>`;

(async () => {
  const wav = sineWav();
  const server = http.createServer((req, res) => {
    if (req.url === '/tone.wav') return res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': wav.length }).end(wav);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(page(req.url.slice(1)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--autoplay-policy=no-user-gesture-required', '--no-sandbox'] });
  const rows = [];
  for (const mode of ['loop', 'ended', 'buffer']) {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${server.address().port}/${mode}`);
    await tab.waitForFunction(() => window.result, null, { timeout: (listen + 30) * 1000 });
    rows.push({ mode: { loop: '<audio loop>', ended: 'ended → play()', buffer: 'AudioBufferSourceNode.loop' }[mode], ...(await tab.evaluate(() => window.result)) });
    await tab.close();
  }
  await browser.close();
  server.close();
  console.log(`A ${SECONDS} s loop, ${listen} s listened (${Math.floor(listen / SECONDS)} restarts)`);
  console.table(rows);
})();
