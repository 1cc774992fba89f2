#!/usr/bin/env node
// Library listing at depth: one account with 100,000 tracks; GET /v1/library first page
// and a page 90,000 tracks deep (keyset cursor), and a search, each by 10 concurrent
// clients with autocannon. Targets: p99 <= 20 ms, and the deep page within
// 1.5x of the first (cost must not grow with depth). Each run follows an unmeasured
// 3-second warm-up of the same request. Each run also reports the API process's CPU time
// per request and autocannon's own CPU time per second (well below 1: the load generator
// is not the limit).
//
//   node bench/library/run.cjs [tracks=100000] [seconds per run=10]
const autocannon = require('autocannon');
const { Client } = require('pg');
const { json, withApi, printTable, runBench, cpuSeconds } = require('../support/harness.cjs');
const { encodeCursor } = require('../../apps/api/src/common/cursor.ts');

const TRACKS = Number(process.argv[2] ?? 100_000);
const seconds = Number(process.argv[3] ?? 10);
const CONNECTIONS = 10;
const DEPTH = Math.min(90_000, TRACKS - 100);
const WARM_UP_SECONDS = 3;

function load(url, headers, duration = seconds) {
  return new Promise((resolve, reject) => autocannon({ url, connections: CONNECTIONS, duration, headers }, (error, result) => (error ? reject(error) : resolve(result))));
}

async function main() {
  await withApi({}, async ({ base, db, app }) => {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const { accessToken, user } = await json(base, 'POST', '/v1/auth/guest');
      const auth = { authorization: `Bearer ${accessToken}` };
      const began = Date.now();
      // Tracks a second apart, newest first; prompts in English and Korean; fake peaks.
      await pg.query(
        `INSERT INTO tracks (user_id, title, prompt_raw, prompt_expanded, params, engine, engine_meta, duration_seconds, sample_rate, channels, format, mime_type, size_bytes, storage_key, peaks, created_at)
         SELECT $1::uuid, 'track ' || i, (ARRAY['calm lo-fi piano', '잔잔한 재즈 피아노', 'epic orchestral trailer', '신나는 하우스 음악'])[1 + i % 4] || ' #' || i,
                'lo-fi hip hop · 82 bpm · A minor', '{"seed": 1}', 'offline', '{}', 10, 44100, 2, 'wav', 'audio/wav', 1764044,
                $1::text || '/' || gen_random_uuid() || '.wav', decode(repeat('00', 1600), 'hex'),
                date_trunc('milliseconds', now()) - make_interval(secs => i)
         FROM generate_series(1, $2) AS i`,
        [user.id, TRACKS],
      );
      // Steady state, not the aftermath of a bulk load: statistics, visibility map, and the
      // dirty pages written out now rather than by a checkpoint during the runs.
      await pg.query('VACUUM ANALYZE tracks');
      await pg.query('CHECKPOINT').catch(() => undefined); // needs a superuser or pg_checkpoint; without it the runs are only less steady
      const {
        rows: [deep],
      } = await pg.query(`SELECT id, created_at FROM tracks WHERE user_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`, [user.id, DEPTH - 1]);
      const cursor = encodeCursor({ id: deep.id, createdAt: deep.created_at });
      console.log(`${TRACKS} tracks inserted in ${((Date.now() - began) / 1000).toFixed(1)} s; ${CONNECTIONS} clients, ${seconds} s per run, 20 items a page\n`);

      const deepPage = await json(base, 'GET', `/v1/library?cursor=${cursor}`, auth);
      if (deepPage.items[0].title !== `track ${DEPTH + 1}`) throw new Error(`the deep page starts at ${deepPage.items[0].title}`);

      const runs = [
        ['first page', '/v1/library'],
        [`page ${DEPTH.toLocaleString('en')} deep`, `/v1/library?cursor=${cursor}`],
        ['search "재즈" (first page)', `/v1/library?q=${encodeURIComponent('재즈')}`],
      ];
      const results = [];
      for (const [label, url] of runs) {
        await load(`${base}${url}`, auth, WARM_UP_SECONDS); // JIT and caches warm, not measured
        const apiBefore = cpuSeconds(app.child.pid);
        const benchBefore = process.cpuUsage();
        const r = await load(`${base}${url}`, auth);
        const bench = process.cpuUsage(benchBefore);
        if (r.non2xx) throw new Error(`${label}: ${r.non2xx} non-2xx answers`);
        r.apiCpuPerRequestMs = ((cpuSeconds(app.child.pid) - apiBefore) / r.requests.total) * 1000;
        r.clientCpuPerSecond = (bench.user + bench.system) / 1e6 / seconds;
        results.push([label, r]);
      }
      const first = results[0][1].latency.p99;
      const table = [['', 'req/s', 'p50', 'p99', 'API CPU/req', 'autocannon CPU', 'target']];
      for (const [label, r] of results) {
        table.push([label, r.requests.average.toFixed(0), `${r.latency.p50} ms`, `${r.latency.p99} ms`, `${r.apiCpuPerRequestMs.toFixed(2)} ms`, `${r.clientCpuPerSecond.toFixed(2)} s/s`, label.includes('search') ? '' : 'p99 <= 20 ms']);
      }
      table.push(['deep p99 / first p99', '', '', (results[1][1].latency.p99 / first).toFixed(2), '', '', '<= 1.5']);
      printTable(table);
    } finally {
      await pg.end();
    }
  });
}

runBench(main);
