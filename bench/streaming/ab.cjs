#!/usr/bin/env node
// A/B of API settings on user-visible figures: one API process per variant (same
// database, same storage), each run between two runs of the baseline process and
// compared with their mean. Figures: 64 KiB random ranges on /v1/stream (wrk -t1 -c32),
// the library's first page (wrk -t1 -c10), both as req/s, req per server CPU-second and
// p99, and the idle TTFB p99 of a 64 KiB range (ttfb.cjs). Prints the median ratio
// variant ÷ baseline over the rounds, with its range, and wrk's own CPU time.
//
// An A/A variant (a second process with the baseline's settings) is always run: its
// ratios are what the method itself gives for no difference at all, on this machine at
// this time. A variant's gain counts only beyond them.
//
//   node bench/streaming/ab.cjs [seconds per run = 5] [rounds = 3] ['label:ENV=value,ENV=value' ...]
//   e.g. node bench/streaming/ab.cjs 3 5 'auth cache off:AUTH_CACHE=off'
const { Client } = require('pg');
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { guestTrack, withApi, wrk, writeRangeScript, printTable, runBench } = require('../support/harness.cjs');
const { startAppProcess } = require('../../apps/api/test/support/processes.ts');

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const RANGE = 64 * 1024;
const VARIANTS = [
  ['baseline', {}],
  ['A/A: another process, baseline settings', {}],
  ...process.argv.slice(4).map((spec) => {
    const [label, env = ''] = spec.split(/:(.*)/s);
    return [label, Object.fromEntries(env.split(',').filter(Boolean).map((pair) => pair.split(/=(.*)/s).slice(0, 2)))];
  }),
];

function ttfb(url, headers, size) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'ttfb.cjs'), url, String(size), JSON.stringify(headers), '300', '30'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`ttfb.cjs exited with ${code}`))));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  await withApi({ MAX_DURATION_SECONDS: '30' }, async ({ base, db, storage }) => {
    const { auth, track } = await guestTrack(base);
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const { rows: [owner] } = await pg.query('SELECT user_id FROM tracks WHERE id = $1', [track.id]);
    await pg.query(
      `INSERT INTO tracks (user_id, title, prompt_raw, prompt_expanded, params, engine, engine_meta, duration_seconds, sample_rate, channels, format, mime_type, size_bytes, storage_key, peaks, created_at)
       SELECT $1::uuid, 'track ' || i, 'calm lo-fi piano #' || i, 'lo-fi hip hop · 82 bpm · A minor', '{"seed": 1}', 'offline', '{}', 10, 44100, 2, 'wav', 'audio/wav', 1764044,
              $1::text || '/' || gen_random_uuid() || '.wav', decode(repeat('00', 1600), 'hex'), date_trunc('milliseconds', now()) - make_interval(secs => i)
       FROM generate_series(1, 1000) AS i`,
      [owner.user_id],
    );
    await pg.query('VACUUM ANALYZE tracks');
    await pg.end();
    const apps = [];
    try {
      for (const [label, env] of VARIANTS) {
        const app = await startAppProcess({ DATABASE_URL: db.url, STORAGE_DIR: storage, LOG_LEVEL: 'warn', MAX_DURATION_SECONDS: '30', ...env }, 120_000);
        apps.push({ label, app, base: `http://127.0.0.1:${app.port}`, runs: [] });
      }
      const script = await writeRangeScript(storage);
      const size = track.size_bytes;
      console.log(`${VARIANTS.length} variants, ${rounds} rounds, ${seconds} s per run; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
      // Warm-up: JIT and the auth cache of every process.
      for (const a of apps) {
        wrk({ url: `${a.base}/v1/stream/${track.id}`, headers: auth, seconds: 2, connections: 32, script, scriptArgs: [size, RANGE] });
        wrk({ url: `${a.base}/v1/library`, headers: auth, seconds: 2, connections: 10 });
      }
      // Each variant runs between two runs of the baseline, and is compared
      // with their mean: the machine's load drifts less within three runs than over a round.
      const [baseline, ...others] = apps;
      const measure = async (a) => {
        const pids = [a.app.child.pid];
        const ranges = wrk({ url: `${a.base}/v1/stream/${track.id}`, headers: auth, seconds, connections: 32, script, scriptArgs: [size, RANGE], serverPids: pids });
        const library = wrk({ url: `${a.base}/v1/library`, headers: auth, seconds, connections: 10, serverPids: pids });
        for (const r of [ranges, library]) if (r.non2xx || /connect [1-9]|read [1-9]|write [1-9]/.test(r.errors)) throw new Error(`${a.label}: ${r.non2xx} non-2xx, ${r.errors}`);
        const idle = await ttfb(`${a.base}/v1/stream/${track.id}`, auth, size);
        return { ranges, library, idle, wrkCpu: Math.max(ranges.cpu, library.cpu) };
      };
      const figures = {
        'ranges req/s': (m) => m.ranges.rps,
        'ranges req/CPU-s': (m) => m.ranges.requests / m.ranges.serverCpu,
        'ranges p99 ms': (m) => m.ranges.p99Ms,
        'library req/s': (m) => m.library.rps,
        'library req/CPU-s': (m) => m.library.requests / m.library.serverCpu,
        'library p99 ms': (m) => m.library.p99Ms,
        'idle TTFB p99 ms': (m) => m.idle.p99,
      };
      const ratios = new Map(others.map((a) => [a, Object.fromEntries(Object.keys(figures).map((k) => [k, []]))]));
      const wrkCpu = [];
      for (let round = 0; round < rounds; round++) {
        let before = await measure(baseline);
        for (const a of round % 2 ? [...others].reverse() : others) {
          const mine = await measure(a);
          const after = await measure(baseline);
          wrkCpu.push(before.wrkCpu, mine.wrkCpu);
          for (const [k, f] of Object.entries(figures)) ratios.get(a)[k].push(f(mine) / ((f(before) + f(after)) / 2));
          console.log(`round ${round + 1} ${a.label.padEnd(22)} ` + Object.entries(figures).map(([k, f]) => `${k} ${f(mine).toFixed(1)} (base ${((f(before) + f(after)) / 2).toFixed(1)})`).join(', ') + ` | load ${os.loadavg()[0].toFixed(1)}`);
          before = after;
        }
      }
      const table = [['variant ÷ baseline (median, [min..max])', ...Object.keys(figures)]];
      for (const a of others) table.push([a.label, ...Object.keys(figures).map((k) => { const xs = ratios.get(a)[k]; return `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}]`; })]);
      printTable(table);
      console.log(`wrk CPU per ${seconds} s run: median ${median(wrkCpu).toFixed(2)} s, max ${Math.max(...wrkCpu).toFixed(2)} s`);
      // wrk with one thread against two: the same figure means the client was not the limit.
      for (const threads of [1, 2, 1, 2]) {
        const r = wrk({ url: `${baseline.base}/v1/stream/${track.id}`, headers: auth, seconds, connections: 32, threads, script, scriptArgs: [size, RANGE] });
        console.log(`${baseline.label}: wrk -t${threads} ranges ${r.rps.toFixed(0)}/s p99 ${r.p99} wrk CPU ${r.cpu.toFixed(1)} s`);
      }
    } finally {
      for (const a of apps) await a.app.stop();
    }
  });
}

runBench(main);
