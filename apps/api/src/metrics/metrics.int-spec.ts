import type { GenerationResponse } from '@texttune/contracts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { signIn, waitForStatus } from '../../test/support/helpers';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { TestEngine } from '../../test/support/test-engine';
import { EngineError } from '../engines/music-engine';

const TOKEN = 'metrics-token-0123456789abcdef';
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** The samples of an exposition by `name{label="value",…}` with the labels sorted. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}="${m[2]}"`).sort();
    map.set(`${match[1]}{${labels.join(',')}}`, Number(match[3]));
  }
  return map;
}

/** The key of a sample in {@link samples}; every sample also has role="all". */
const key = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries({ ...labels, role: 'all' })
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')}}`;

describe('GET /metrics', () => {
  let t: TestApp;
  let pg: Client;
  let engine: TestEngine;
  const scrape = async () => {
    const res = await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).set('Accept', PROMETHEUS_ACCEPT).expect(200);
    return { text: res.text, values: samples(res.text) };
  };

  beforeAll(async () => {
    engine = new TestEngine('test');
    t = await startTestApp({ METRICS_TOKEN: TOKEN, JOB_MAX_ATTEMPTS: '1' }, { engines: [engine] });
    pg = new Client({ connectionString: t.db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await t?.close();
  });

  it('needs the bearer token when METRICS_TOKEN is set, without a session', async () => {
    const none = await t.http().get('/metrics').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.body).toMatchObject({ code: 'unauthorized' });
    await t.http().get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    // A user session is not a metrics token.
    await t.http().get('/metrics').set(await signIn(t)).expect(401);
  });

  it('answers Prometheus text (never the web client, although a scraper accepts */*)', async () => {
    const res = await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).set('Accept', PROMETHEUS_ACCEPT).expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toMatch(/^# HELP /);
    expect(res.text).toContain('process_cpu_user_seconds_total{role="all"}');
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
    if (existsSync(path.resolve(process.cwd(), 'dist/apps/web/browser/index.html'))) {
      // the web client is built here: prove it would have answered
      const page = await t.http().get('/library').set('Accept', PROMETHEUS_ACCEPT).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    }
  });

  it('times HTTP requests by route pattern, not by raw URL', async () => {
    const auth = await signIn(t);
    const id = '0b7f3c1e-1111-4a4a-9a9a-123456789abc';
    await t.http().get(`/v1/tracks/${id}`).set(auth).expect(404);
    await t.http().get(`/v1/tracks/${id}`).set(auth).expect(404);
    await t.http().get('/v1/health').expect(200);
    await t.http().get('/v1/no/such/route').expect(404);
    const { text, values } = await scrape();
    expect(values.get(key('texttune_http_request_duration_seconds_count', { method: 'GET', route: '/v1/tracks/:id', status_code: '404' }))).toBe(2);
    expect(values.get(key('texttune_http_request_duration_seconds_count', { method: 'GET', route: '/v1/health', status_code: '200' }))).toBeGreaterThanOrEqual(1);
    expect(values.get(key('texttune_http_request_duration_seconds_count', { method: 'GET', route: '(unmatched)', status_code: '404' }))).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(id);
    expect(text).not.toContain('/v1/no/such/route');
  });

  it('counts jobs by status and engine, the queue, durations, engine errors and Space latency', async () => {
    const auth = await signIn(t);
    await scrape(); // the first scrape sets where duration/error counting starts
    const [{ now: t0 }] = (await pg.query(`SELECT now() AS now`)).rows as { now: Date }[];

    const ok = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'counted', duration: 1 }).expect(202)).body as GenerationResponse;
    const okDone = await waitForStatus(t, auth, ok.job_id, ['succeeded']);
    engine.behaviour.failures = [new EngineError('invalid_output', 'not audio')];
    const bad = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'fails', duration: 1 }).expect(202)).body as GenerationResponse;
    await waitForStatus(t, auth, bad.job_id, ['failed']);

    // Place both jobs at known times just after the counting start, with known durations,
    // and give the take a Space's timings.
    await pg.query(
      `UPDATE generations SET finished_at = $2::timestamptz - interval '9 seconds' + (CASE WHEN id = $3 THEN interval '0' ELSE interval '1 ms' END),
         started_at = $2::timestamptz - interval '9 seconds' - interval '3 seconds', created_at = $2::timestamptz - interval '12.4 seconds'
       WHERE id = ANY($1::uuid[])`,
      [[ok.job_id, bad.job_id], t0, ok.job_id],
    );
    await pg.query(`UPDATE tracks SET engine_meta = $2 WHERE id = $1`, [
      okDone.track_ids[0],
      JSON.stringify({ queue: { waited_ms: 1500 }, timings_ms: { space_processing: 4000, submit_to_result: 7000 } }),
    ]);
    // Rows settle for SETTLE_SECONDS (10 s) before they count: they are at t0 - 9 s, so wait for t0 + 1 s.
    while (((await pg.query(`SELECT now() >= $1::timestamptz + interval '1.2 seconds' AS due`, [t0])).rows[0] as { due: boolean }).due === false) {
      await new Promise((r) => setTimeout(r, 100));
    }

    const { values } = await scrape();
    expect(values.get(key('texttune_jobs', { status: 'succeeded', engine: 'test' }))).toBe(1);
    expect(values.get(key('texttune_jobs', { status: 'failed', engine: 'test' }))).toBe(1);
    expect(values.has(key('texttune_queue_jobs', { state: 'waiting' }))).toBe(true);
    expect(values.get(key('texttune_job_duration_seconds_count', { engine: 'test', status: 'succeeded' }))).toBe(1);
    expect(values.get(key('texttune_job_duration_seconds_bucket', { le: '2', engine: 'test', status: 'succeeded' }))).toBe(0);
    expect(values.get(key('texttune_job_duration_seconds_bucket', { le: '5', engine: 'test', status: 'succeeded' }))).toBe(1);
    expect(values.get(key('texttune_job_duration_seconds_sum', { engine: 'test', status: 'succeeded' }))).toBeCloseTo(3, 3);
    expect(values.get(key('texttune_job_queue_wait_seconds_count', { engine: 'test' }))).toBe(2);
    expect(values.get(key('texttune_job_queue_wait_seconds_bucket', { le: '0.5', engine: 'test' }))).toBe(2);
    expect(values.get(key('texttune_engine_errors_total', { engine: 'test', code: 'invalid_output' }))).toBe(1);
    expect(values.get(key('texttune_space_latency_seconds_sum', { engine: 'test', phase: 'total' }))).toBeCloseTo(7, 3);
    expect(values.get(key('texttune_space_latency_seconds_sum', { engine: 'test', phase: 'queue' }))).toBeCloseTo(1.5, 3);
    expect(values.get(key('texttune_space_latency_seconds_count', { engine: 'test', phase: 'processing' }))).toBe(1);
    expect(values.get(key('texttune_storage_garbage_pending', {}))).toBe(0);

    // Each job is taken in once, whatever the number of scrapes.
    const again = (await scrape()).values;
    expect(again.get(key('texttune_job_duration_seconds_count', { engine: 'test', status: 'succeeded' }))).toBe(1);
    expect(again.get(key('texttune_engine_errors_total', { engine: 'test', code: 'invalid_output' }))).toBe(1);
  }, 30_000);
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('is open', async () => {
    const t = await startTestApp({}, { engines: [new TestEngine()] });
    try {
      const res = await t.http().get('/metrics').expect(200);
      expect(res.text).toContain('texttune_jobs');
    } finally {
      await t.close();
    }
  });
});
