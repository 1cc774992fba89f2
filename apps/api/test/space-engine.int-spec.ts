/**
 * The Gradio Space engine end to end: the real API (HF_SPACE_ID pointing at a
 * tools/fake-space process speaking the Gradio protocol) driven over HTTP, with the
 * real @gradio/client in between. What reached the Space is read back from the fake's
 * `/__fake/*` control routes.
 *
 * The fake runs as a child process from its TypeScript sources (scope:api code may not
 * import scope:tools), on a free port.
 */
import type { EngineDescription, GenerationResponse } from '@texttune/contracts';
import { encodeWavPcm16 } from '@texttune/audio';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { createEngines } from '../src/engines/create-engines';
import { GradioEngine } from '../src/engines/gradio';
import { FakeSpace } from './support/fake-tools';
import { readSse, signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const TOKEN = 'hf_spaceEngineTestToken0123456789';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A plain server standing for "some other host": it must never be contacted. */
async function startOtherHost(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.end('RIFF');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function poll<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface TrackRow {
  id: string;
  storage_key: string;
  format: string;
  mime_type: string;
  sample_rate: number;
  channels: number;
  duration_seconds: number;
  size_bytes: number;
  engine: string;
  engine_meta: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('Gradio Space engine (API + @gradio/client + fake Space)', () => {
  let space: FakeSpace;
  let db: TestDatabase;
  let t: TestApp | undefined;
  let auth: { Authorization: string };

  const baseEnv = (): Record<string, string> => ({
    HF_SPACE_ID: `${space.url}/`,
    HF_API_TOKEN: TOKEN,
    MAX_DURATION_SECONDS: '60',
    JOB_MAX_ATTEMPTS: '1',
    JOB_BACKOFF_MS: '0',
    QUEUE_LOCK_SECONDS: '1',
    MAX_ACTIVE_JOBS_PER_USER: '50',
    GENERATION_TIMEOUT_SECONDS: '30',
  });

  /** Boots the API with the engines the configuration selects (the Gradio engine first). */
  async function boot(env: Record<string, string> = {}): Promise<TestApp> {
    await t?.close();
    const all = { ...baseEnv(), ...env };
    t = await startTestApp(all, { db, engines: createEngines(loadConfig({ NODE_ENV: 'test', ...all })) });
    auth = await signIn(t);
    return t;
  }

  async function generate(body: Record<string, unknown>, statuses: GenerationResponse['status'][] = ['succeeded', 'failed', 'canceled']): Promise<GenerationResponse> {
    const res = await t!.http().post('/v1/generations').set(auth).send(body).expect(202);
    return waitForStatus(t!, auth, res.body.job_id, statuses, 30_000);
  }

  async function track(id: string): Promise<TrackRow & { bytes: Buffer }> {
    const [row] = await t!.app.get(DataSource).query<TrackRow[]>('SELECT * FROM tracks WHERE id = $1', [id]);
    return { ...row, bytes: await readFile(path.join(t!.config.storageDir, row.storage_key)) };
  }

  /** Every file under the storage directory (partial writes included). */
  async function storedFiles(): Promise<string[]> {
    const entries = await readdir(t!.config.storageDir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
  }

  async function engines(): Promise<EngineDescription[]> {
    return (await t!.http().get('/v1/engines').set(auth).expect(200)).body.items as EngineDescription[];
  }

  const quiet: jest.SpyInstance[] = [];
  beforeAll(async () => {
    // @gradio/client reports the failures these tests provoke with console.error/warn
    quiet.push(jest.spyOn(console, 'error').mockImplementation(() => undefined), jest.spyOn(console, 'warn').mockImplementation(() => undefined));
    [space, db] = await Promise.all([FakeSpace.start({ FAKE_SPACE_TOKEN: TOKEN }), createTestDatabase()]);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([space?.stop(), db?.drop()]);
    quiet.forEach((spy) => spy.mockRestore());
  });

  describe('musicgen (audiocraft predict_full)', () => {
    beforeAll(async () => {
      await space.reset();
      await boot();
    });
    beforeEach(() => space.reset());

    it('GET /v1/engines shows the Space, its endpoint and the input mapping before any job', async () => {
      const [gradio, offline] = await engines();
      expect(offline).toMatchObject({ id: 'offline', default: false });
      expect(gradio).toMatchObject({
        id: 'gradio',
        kind: 'gradio',
        ready: true,
        reason: null,
        default: true,
        supports: { samplingParams: ['topK', 'topP', 'temperature', 'cfg'], referenceAudio: true, needsEnglish: true, maxDurationSeconds: 120 },
        details: { state: 'connected', url: space.url, endpoint: '/predict_full', fn_index: 1, api_prefix: '/gradio_api', endpoints: ['/toggle_diffusion', '/predict_full'] },
      });
      const inputs = gradio.details.inputs as { label: string; source: string }[];
      expect(inputs.map((i) => [i.label, i.source])).toEqual([
        ['Model', 'model'],
        ['Model Path (custom models)', 'default'],
        ['Decoder', 'default'],
        ['Input Text', 'prompt'],
        ['File', 'reference'],
        ['Duration', 'duration'],
        ['Top-k', 'topK'],
        ['Top-p', 'topP'],
        ['Temperature', 'temperature'],
        ['Classifier Free Guidance', 'cfg'],
      ]);
      expect(inputs.find((i) => i.label === 'Duration')).toMatchObject({ minimum: 1, maximum: 120 });
    });

    it('renders a track whose bytes are the WAV the Space made, with the mapping in its metadata; the token goes with every request', async () => {
      const done = await generate({ prompt: 'upbeat synthwave with arpeggios', duration: 3, seed: 11, params: { topK: 100, temperature: 0.9 } });
      expect(done).toMatchObject({ status: 'succeeded', engine: 'gradio', error: null });
      const [job] = await space.jobs();
      expect(job).toMatchObject({ apiName: 'predict_full', status: 'completed' });
      expect(job.inputsByLabel).toEqual({
        Model: 'facebook/musicgen-melody',
        'Model Path (custom models)': '',
        Decoder: 'Default',
        'Input Text': 'upbeat synthwave with arpeggios',
        File: null,
        Duration: 3,
        'Top-k': 100,
        'Top-p': 0,
        Temperature: 0.9,
        'Classifier Free Guidance': 3,
      });
      const stored = await track(done.track_id!);
      expect(sha256(stored.bytes)).toBe(job.renderedSha256[0]);
      expect(stored).toMatchObject({ format: 'wav', mime_type: 'audio/wav', sample_rate: 32000, channels: 1, duration_seconds: 3, engine: 'gradio' });
      expect(Number(stored.size_bytes)).toBe(stored.bytes.length);
      expect(stored.engine_meta).toMatchObject({
        endpoint: '/predict_full',
        mapping: { 'Input Text': 'prompt', Duration: 'duration', File: 'reference' },
        inputs: { 'Input Text': 'upbeat synthwave with arpeggios', Duration: 3, 'Top-k': 100 },
        clamped: [],
        output: { label: 'Generated Music (wav)', component: 'Audio', via: 'url', format: 'wav', claimed_mime_type: 'audio/wav' },
        event_id: job.eventId,
      });
      const requests = await space.requests();
      expect(new Set(requests.map((r) => r.route))).toEqual(new Set(['join', 'data', 'file']));
      expect(requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
      expect(JSON.stringify(stored.engine_meta)).not.toContain(TOKEN);
    });

    it("reports the Space's queue position, ETA and progress while it works", async () => {
      await space.configure({ fail: 'slow', slowMs: 2100 });
      const server = t!.app.getHttpServer();
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const created = (await t!.http().post('/v1/generations').set(auth).send({ prompt: 'queue me', duration: 1 }).expect(202)).body as GenerationResponse;
      const { events } = await readSse(base, `/v1/generations/${created.job_id}/events`, auth);
      const running = events.filter((e) => e.data.status === 'running');
      const positions = running.map((e) => e.data.position).filter((p): p is number => p !== null);
      expect(positions.length).toBeGreaterThan(0);
      expect(Math.max(...positions)).toBeGreaterThanOrEqual(2); // "2nd/3rd in the Space's queue"
      expect(positions).toEqual([...positions].sort((a, b) => b - a)); // only moves forward
      expect(running.some((e) => e.data.position !== null && e.data.eta_seconds !== null)).toBe(true);
      const progress = running.map((e) => e.data.progress);
      expect(progress.some((p) => p > 0 && p < 1)).toBe(true);
      expect(events.at(-1)).toMatchObject({ event: 'final', data: { status: 'succeeded', position: null } });
    });

    it('a user cancel cancels the remote job (with the token)', async () => {
      await space.configure({ fail: 'slow', slowMs: 20_000 });
      const created = (await t!.http().post('/v1/generations').set(auth).send({ prompt: 'cancel me', duration: 2 }).expect(202)).body as GenerationResponse;
      await poll(
        () => space.jobs(),
        (jobs) => jobs.length > 0,
      );
      const canceled = await t!.http().post(`/v1/generations/${created.job_id}/cancel`).set(auth).expect(200);
      expect(canceled.body.status).toBe('canceled');
      const jobs = await poll(
        () => space.jobs(),
        (j) => j[0]?.status === 'cancelled',
      );
      expect(jobs[0]).toMatchObject({ status: 'cancelled', error: 'cancelled by client' });
      const [cancel] = await space.requests('cancel');
      expect(cancel).toMatchObject({ authorization: `Bearer ${TOKEN}`, status: 200, body: { event_id: jobs[0].eventId } });
    });

    it.each([
      ['quota', 'space_quota', /out of ZeroGPU quota and asks to wait 13 min 27 s.*Set HF_API_TOKEN to an account with quota.*You have exceeded your GPU quota \(60s requested vs\. 0s left\)\. Upgrade Try again in 0:13:27/],
      ['error', 'space_error', /reported an error: CUDA out of memory\. Tried to allocate 2\.00 GiB/],
      ['crash', 'space_error', /failed while rendering and did not say why/],
      ['unavailable', 'space_unavailable', /is busy \(its queue is full\)\. The job will be retried\./],
      ['sleeping', 'space_unavailable', /not available right now \(it answered HTTP 503\)/],
      ['drop', 'space_unavailable', /Lost the connection to the Space/],
      ['metadata-url', 'invalid_output', /pointed its output at 169\.254\.169\.254, which is not the Space's own host/],
      ['not-audio', 'invalid_output', /returned a file that is not audio \(claimed audio\/wav\); nothing was stored/],
      ['bad-audio', 'invalid_output', /returned audio that does not decode: The WAV file declares 0 channels\. Nothing was stored\./],
      ['truncated-audio', 'invalid_output', /returned audio that does not decode: The WAV file's data chunk declares [\d,]+ bytes but only [\d,]+ are present; the file is truncated\. Nothing was stored\./],
    ])('fail=%s ends failed with %s and a sentence', async (fail, code, sentence) => {
      await space.configure({ fail });
      const filesBefore = await storedFiles();
      const done = await generate({ prompt: `failure ${fail}`, duration: 1 });
      expect(done).toMatchObject({ status: 'failed', error: { code }, track_ids: [] });
      expect(await storedFiles()).toEqual(filesBefore);
      expect(done.error!.message).toMatch(sentence);
      expect(done.error!.message).not.toContain(TOKEN);
      // the next job works again (a broken connection is replaced)
      await space.reset();
      expect((await generate({ prompt: 'after the failure', duration: 1 })).status).toBe('succeeded');
    });

    it('refuses output URLs on another host: nothing is fetched there and the token never leaves the Space', async () => {
      const other = await startOtherHost();
      try {
        await space.configure({ fail: 'foreign-url', foreignBaseUrl: other.url });
        const done = await generate({ prompt: 'ssrf attempt', duration: 1 });
        expect(done.error).toMatchObject({ code: 'invalid_output', message: expect.stringContaining(`pointed its output at ${new URL(other.url).host}`) });
        expect(other.hits).toEqual([]);
      } finally {
        await other.close();
      }
    });

    it('accepts a data: URL output (base64 WAV) and stores its bytes', async () => {
      await space.configure({ fail: 'data-url' });
      const done = await generate({ prompt: 'inline audio', duration: 2 });
      expect(done.status).toBe('succeeded');
      const stored = await track(done.track_id!);
      expect(sha256(stored.bytes)).toBe((await space.jobs())[0].renderedSha256[0]);
      expect(stored.engine_meta.output).toMatchObject({ via: 'data-url', format: 'wav' });
    });
  });

  describe('limits: timeout, size, private Space', () => {
    afterEach(() => space.reset());

    it('gives up after GENERATION_TIMEOUT_SECONDS, failing with timeout and cancelling the remote job', async () => {
      await space.reset({ fail: 'slow', slowMs: 30_000 });
      await boot({ GENERATION_TIMEOUT_SECONDS: '5' });
      const started = Date.now();
      const done = await generate({ prompt: 'never ends', duration: 1 });
      expect(done.error).toMatchObject({ code: 'timeout', message: expect.stringContaining('5 seconds') });
      expect(Date.now() - started).toBeLessThan(9000);
      const jobs = await poll(
        () => space.jobs(),
        (j) => j[0]?.status === 'cancelled',
      );
      expect(jobs[0].status).toBe('cancelled');
      expect((await space.requests('cancel'))[0]).toMatchObject({ authorization: `Bearer ${TOKEN}` });
    }, 20_000);

    it('refuses audio larger than MAX_AUDIO_BYTES (streamed, no Content-Length)', async () => {
      await space.reset({ fail: 'oversize', oversizeBytes: 1_200_000 });
      await boot({ MAX_AUDIO_BYTES: '1000000' });
      const done = await generate({ prompt: 'too big', duration: 1 });
      expect(done).toMatchObject({ status: 'failed', track_ids: [], error: { code: 'invalid_output', message: expect.stringContaining('more than 1 MB of audio (MAX_AUDIO_BYTES)') } });
    });

    it("a config whose root names another host: requests still go to the Space, and nothing (no token) reaches the other host", async () => {
      const other = await startOtherHost();
      try {
        await space.reset({ publicRoot: other.url });
        await boot();
        expect((await engines())[0].details).toMatchObject({ state: 'connected', url: space.url });
        const done = await generate({ prompt: 'proxied space', duration: 1 });
        // its output URLs name the other host too: refused, not fetched
        expect(done.error).toMatchObject({ code: 'invalid_output' });
        expect(other.hits).toEqual([]);
        const routes = (await space.requests()).map((r) => [r.route, r.authorization]);
        expect(routes).toEqual(expect.arrayContaining([['config', `Bearer ${TOKEN}`], ['info', `Bearer ${TOKEN}`], ['join', `Bearer ${TOKEN}`], ['data', `Bearer ${TOKEN}`]]));
      } finally {
        await other.close();
      }
    });

    it('a private Space without HF_API_TOKEN, or with a wrong one, fails with space_auth and says what to set', async () => {
      await space.reset();
      await boot({ HF_API_TOKEN: '' });
      expect((await engines())[0]).toMatchObject({ ready: true, details: { state: 'unreachable', error: { code: 'space_auth' } } });
      const missing = await generate({ prompt: 'no token', duration: 1 });
      expect(missing.error).toEqual({ code: 'space_auth', message: `The Space ${space.url}/ is private (HTTP 401): set HF_API_TOKEN to a Hugging Face token with access to ${space.url}/.` });
      await boot({ HF_API_TOKEN: 'hf_wrong' });
      const wrong = await generate({ prompt: 'wrong token', duration: 1 });
      expect(wrong.error).toMatchObject({ code: 'space_auth', message: expect.stringContaining('refused HF_API_TOKEN (HTTP 401)') });
      expect((await space.requests('config')).map((r) => r.authorization)).toContain('Bearer hf_wrong');
    });
  });

  describe('ENGINE_FALLBACK=local', () => {
    beforeAll(async () => {
      await space.reset();
      await boot({ ENGINE_FALLBACK: 'local' });
    });
    afterEach(() => space.reset());

    it.each(['quota', 'unavailable', 'sleeping'])('fail=%s: the offline engine renders the job and the track records it', async (fail) => {
      await space.configure({ fail });
      const done = await generate({ prompt: 'calm lo-fi piano, 80 bpm', duration: 2, samplerate: 22050 });
      expect(done).toMatchObject({ status: 'succeeded', engine: 'gradio', error: null });
      const stored = await track(done.track_id!);
      // The job asked for the Space; the track says who really made it.
      expect(stored).toMatchObject({ format: 'wav', sample_rate: 22050, duration_seconds: 2, engine: 'offline' });
      expect(stored.engine_meta.fallback).toMatchObject({ engine: 'offline', instead_of: 'gradio', code: fail === 'quota' ? 'space_quota' : 'space_unavailable' });
      expect(stored.engine_meta.plan).toBeDefined(); // the offline engine's own metadata
    });

    it('does not fall back for an error of the app itself', async () => {
      await space.configure({ fail: 'error' });
      expect((await generate({ prompt: 'bad input', duration: 1 })).error).toMatchObject({ code: 'space_error' });
    });
  });

  describe.each([
    // app, layout, endpoint, prompt input, requested seconds, stored rate, channels, stored seconds
    ['batched', 'gradio5', '/predict_batched', 'Describe your music', 3, 32000, 1, 10], // the Space always renders 10 s
    ['stable-audio', 'gradio5', '/generate', 'Prompt', 47, 44100, 2, 47], // "Seconds total" stops at 47
    ['musicgen', 'gradio4', '/predict_full', 'Input Text', 3, 32000, 1, 3],
  ] as const)('app %s (%s layout)', (app, layout, endpoint, promptLabel, duration, rate, channels, seconds) => {
    beforeAll(async () => {
      await space.reset({ app, layout });
      await boot();
    });
    afterAll(() => space.reset());

    it(`renders through ${endpoint} with the prompt in "${promptLabel}"`, async () => {
      await space.reset({ app, layout });
      expect((await engines())[0].details).toMatchObject({ endpoint, api_prefix: layout === 'gradio5' ? '/gradio_api' : '' });
      if (app === 'stable-audio') {
        // Past the duration slider's maximum: refused, naming it (the engine's supports.maxDurationSeconds).
        expect((await engines())[0].supports.maxDurationSeconds).toBe(47);
        const over = await t!.http().post('/v1/generations').set(auth).send({ prompt: 'dreamy chillwave', duration: 50 }).expect(400);
        expect(over.body).toMatchObject({ code: 'duration_too_long', details: { max: 47, engine: 'gradio' } });
        // A Space cannot make a seamless loop.
        expect((await engines())[0].supports.loop).toBe(false);
        const loop = await t!.http().post('/v1/generations').set(auth).send({ prompt: 'dreamy chillwave', duration: 10, loop: true }).expect(400);
        expect(loop.body).toMatchObject({ code: 'loop_unsupported', details: { engine: 'gradio' } });
      }
      const done = await generate({ prompt: 'dreamy chillwave', duration, seed: 1234, params: { cfg: 30 } });
      expect(done.status).toBe('succeeded');
      const [job] = await space.jobs();
      expect(job.inputsByLabel[promptLabel]).toBe('dreamy chillwave');
      const stored = await track(done.track_id!);
      expect(sha256(stored.bytes)).toBe(job.renderedSha256[0]);
      expect(stored).toMatchObject({ sample_rate: rate, channels, duration_seconds: seconds });
      if (app === 'stable-audio') {
        // "CFG scale" clamped to its slider, "Seed", and the Space's default steps
        expect(job.inputsByLabel).toEqual({ Prompt: 'dreamy chillwave', 'Negative prompt': '', 'Seconds total': 47, Seed: 1234, Steps: 100, 'CFG scale': 25 });
        expect(stored.engine_meta.clamped).toEqual([{ input: 'CFG scale', requested: 30, sent: 25, reason: 'maximum' }]);
      }
      if (app === 'batched') expect(stored.engine_meta.mapping).toEqual({ 'Describe your music': 'prompt', File: 'reference' });
    });
  });

  describe('configuration', () => {
    afterEach(() => space.reset());

    it('HF_SPACE_MODEL and HF_SPACE_INPUTS steer an unusual mapping; the Space gets exactly that', async () => {
      await space.reset({ app: 'stable-audio' });
      await boot({ HF_SPACE_INPUTS: JSON.stringify({ 'Negative prompt': 'vocals, speech', steps: 20, Seed: { from: 'default' } }) });
      const [gradio] = await engines();
      expect((gradio.details.inputs as { label: string; source: string; value?: unknown }[]).filter((i) => i.source === 'fixed')).toEqual([
        expect.objectContaining({ label: 'Negative prompt', value: 'vocals, speech' }),
        expect.objectContaining({ label: 'Steps', value: 20 }),
      ]);
      expect((await generate({ prompt: 'piano', duration: 2, seed: 5 })).status).toBe('succeeded');
      expect((await space.jobs())[0].inputsByLabel).toMatchObject({ 'Negative prompt': 'vocals, speech', Steps: 20, Seed: -1 });

      await space.reset({ app: 'musicgen' });
      await boot({ HF_SPACE_MODEL: 'musicgen-small' });
      expect((await generate({ prompt: 'piano', duration: 1 })).status).toBe('succeeded');
      expect((await space.jobs())[0].inputsByLabel.Model).toBe('facebook/musicgen-small');
    });

    it('a Space that cannot be understood makes the engine not ready, with the reason', async () => {
      await space.reset({ app: 'musicgen' });
      await boot({ HF_SPACE_MODEL: 'musicgen-huge' });
      const [gradio] = await engines();
      expect(gradio).toMatchObject({ ready: false, details: { state: 'not_understood' } });
      expect(gradio.reason).toMatch(/HF_SPACE_MODEL "musicgen-huge" is not a choice of the Space's "Model" input; choose one of "facebook\/musicgen-melody"/);
      const refused = await t!.http().post('/v1/generations').set(auth).send({ prompt: 'x', duration: 1 }).expect(503);
      expect(refused.body.code).toBe('engine_not_ready');
    });
  });

  describe('reference (melody) audio, at the engine', () => {
    it('uploads it to the Space with the token and conditions the job on it; refused for a Space without an audio input', async () => {
      await space.reset({ app: 'musicgen' });
      const engine = new GradioEngine({ space: space.url, token: TOKEN, timeoutSeconds: 20, maxAudioBytes: 10_000_000 });
      try {
        const tone = new Float32Array(16000).map((_, i) => 0.2 * Math.sin((2 * Math.PI * 440 * i) / 16000));
        const melody = encodeWavPcm16([tone], 16000);
        const request = { prompt: 'hum along', durationSeconds: 1, sampleRate: 44100, seed: 1, quality: 'draft' as const, sampling: {}, take: 0, userId: 'u' };
        const context = { signal: new AbortController().signal, onProgress: () => undefined };
        const audio = await engine.generate({ ...request, referenceAudio: { body: melody, fileName: 'melody.wav' } }, context);
        const chunks: Buffer[] = [];
        for await (const chunk of audio.body as Readable) chunks.push(chunk as Buffer);
        const [upload] = await space.requests('upload');
        expect(upload).toMatchObject({ authorization: `Bearer ${TOKEN}`, uploads: [expect.objectContaining({ sha256: sha256(melody) })] });
        const [job] = await space.jobs();
        expect(job.inputsByLabel.File).toMatchObject({ path: upload.uploads![0].path });
        expect(sha256(Buffer.concat(chunks))).toBe(job.renderedSha256[0]);
        expect(audio.metadata).toMatchObject({ reference_audio: { bytes: melody.length, sha256: sha256(melody), input: 'File' }, inputs: { File: { reference_audio: true } } });

        await space.reset({ app: 'stable-audio' });
        const stable = new GradioEngine({ space: space.url, token: TOKEN, timeoutSeconds: 20, maxAudioBytes: 10_000_000 });
        await expect(stable.generate({ ...request, referenceAudio: { body: melody } }, context)).rejects.toMatchObject({ code: 'engine_error', message: expect.stringContaining('has no audio input') });
        await stable.close();
      } finally {
        await engine.close();
      }
    });
  });
  describe('reference (melody) audio, over HTTP (POST /v1/references, reference_id)', () => {
    beforeAll(async () => {
      await space.reset({ app: 'musicgen' });
      await boot();
    });
    beforeEach(() => space.reset({ app: 'musicgen' }));

    const tone = new Float32Array(8000).map((_, i) => 0.2 * Math.sin((2 * Math.PI * 330 * i) / 16000));
    const melody = encodeWavPcm16([tone], 16000);
    const upload = (bytes: Buffer, as = auth, name = 'melody.wav') => t!.http().post('/v1/references').set(as).attach('file', bytes, name);

    it('uploads a reference, generates with it, and the Space gets exactly those bytes in its melody input', async () => {
      const res = await upload(melody).expect(201);
      expect(res.body).toEqual({ id: expect.any(String), format: 'wav', codec: 'pcm', channels: 1, sample_rate: 16000, size_bytes: melody.length, duration: 0.5, created_at: expect.any(String) });
      const [row] = await t!.app.get(DataSource).query<{ storage_key: string }[]>('SELECT storage_key FROM "references" WHERE id = $1', [res.body.id]);
      expect(row.storage_key).toMatch(new RegExp(`/refs/${res.body.id}\\.wav$`));
      expect(sha256(await readFile(path.join(t!.config.storageDir, row.storage_key)))).toBe(sha256(melody));

      const done = await generate({ prompt: 'hum along', duration: 2, reference_id: res.body.id, engine: 'gradio' });
      expect(done).toMatchObject({ status: 'succeeded', engine: 'gradio', error: null, params: { reference_id: res.body.id } });
      const [uploaded] = await space.requests('upload');
      expect(uploaded).toMatchObject({ authorization: `Bearer ${TOKEN}`, uploads: [expect.objectContaining({ sha256: sha256(melody) })] });
      const [job] = await space.jobs();
      expect(job.inputsByLabel.File).toMatchObject({ path: uploaded.uploads![0].path });
      const stored = await track(done.track_id!);
      expect(stored.engine_meta).toMatchObject({ reference_audio: { bytes: melody.length, sha256: sha256(melody), input: 'File' } });
    });

    it('refuses bytes that are not audio (400 reference_invalid), and a request without a file', async () => {
      const bad = await upload(Buffer.from('<html>not audio</html>'), auth, 'fake.wav').expect(400);
      expect(bad.body).toMatchObject({ code: 'reference_invalid', message: 'The file is not WAV, MP3, FLAC or Ogg audio. Upload a WAV, MP3, FLAC or Ogg (Vorbis or Opus) file.' });
      const none = await t!.http().post('/v1/references').set(auth).send({}).expect(400);
      expect(none.body.code).toBe('reference_invalid');
      const big = Buffer.concat([melody, Buffer.alloc(20 * 1024 * 1024)]);
      expect((await upload(big).expect(413)).body.code).toBe('payload_too_large');
    });

    /** `melody` with `edit` applied to a copy. */
    const patched = (edit: (b: Buffer) => unknown) => {
      const copy = Buffer.from(melody);
      edit(copy);
      return copy;
    };
    const emptyChunks = Buffer.concat([melody.subarray(0, 36), Buffer.from('JUNK\0\0\0\0'.repeat(100_000), 'latin1'), melody.subarray(36)]);
    emptyChunks.writeUInt32LE(emptyChunks.length - 8, 4);
    const claimsFourGigabytes = patched((b) => (b.writeUInt32LE(0xffffff24, 4), b.writeUInt32LE(0xffffff00, 40))).subarray(0, 1024);

    it.each([
      ['HTML behind a 12-byte WAV header', Buffer.concat([Buffer.from('RIFF\0\x10\0\0WAVE', 'latin1'), Buffer.from('<html><body>Service Unavailable</body></html>')]), /^The WAV file's "<htm" chunk at byte 12 declares [\d,]+ bytes but the file ends after \d+\./],
      ['a WAV with 0 channels', patched((b) => b.writeUInt16LE(0, 22)), /^The WAV file declares 0 channels\./],
      ['a WAV at 0 Hz', patched((b) => b.writeUInt32LE(0, 24)), /^The WAV file declares a sample rate of 0 Hz; it must be between 8,000 and 192,000 Hz\./],
      ['a WAV of 0-bit samples', patched((b) => b.writeUInt16LE(0, 34)), /^The WAV file declares 0 bits per sample\./],
      ['a WAV whose fmt chunk size is wrong', patched((b) => b.writeUInt32LE(0xfffffff0, 16)), /^The WAV file's "fmt" chunk at byte 12 declares 4,294,967,280 bytes but the file ends after/],
      ['100,000 empty chunks', emptyChunks, /^The WAV file has more than 256 chunks; it is not a plausible audio file\./],
      ['an MP3 frame header followed by random bytes', Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), randomBytes(30_000)]), /^The MP3 file has no run of 3 consecutive valid frames/],
      ['a 1 KB WAV claiming 4 GB', claimsFourGigabytes, /^The WAV file's data chunk declares 4,294,967,040 bytes but only 980 are present; the file is truncated\./],
    ])('refuses %s with 400 reference_invalid saying why, and stores nothing', async (_name, bytes, reason) => {
      const [{ count: before }] = await t!.app.get(DataSource).query<{ count: number }[]>('SELECT count(*)::int AS count FROM "references"');
      const res = await upload(bytes, auth, 'upload.wav').expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'reference_invalid', requestId: expect.any(String) });
      expect(res.body.message).toMatch(reason);
      expect(res.body.message).toMatch(/ Upload a WAV, MP3, FLAC or Ogg \(Vorbis or Opus\) file\.$/);
      const [{ count: after }] = await t!.app.get(DataSource).query<{ count: number }[]>('SELECT count(*)::int AS count FROM "references"');
      expect(after).toBe(before);
    });

    it('accepts files ffmpeg wrote and records what ffprobe reads in them', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'references-'));
      try {
        for (const [name, args] of [
          ['vbr.mp3', ['-c:a', 'libmp3lame', '-q:a', '5']],
          ['tone.flac', ['-c:a', 'flac']],
          ['tone.opus', ['-c:a', 'libopus']],
          ['tone.ogg', ['-c:a', 'libvorbis']],
          ['s24.wav', ['-c:a', 'pcm_s24le']],
        ] as const) {
          const file = path.join(dir, name);
          execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=330:d=3.21:r=32000', '-ac', '2', ...args, file]);
          const [stream] = (JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,channels,sample_rate,duration', '-of', 'json', file]).toString()) as { streams: { codec_name: string; channels: number; sample_rate: string; duration: string }[] }).streams;
          const res = await upload(await readFile(file), auth, name).expect(201);
          expect(res.body).toMatchObject({ channels: stream.channels, sample_rate: Number(stream.sample_rate) });
          expect(Math.abs(res.body.duration - Number(stream.duration))).toBeLessThan(0.05);
          const [row] = await t!.app.get(DataSource).query<Record<string, unknown>[]>('SELECT format, codec, channels, sample_rate, duration_seconds FROM "references" WHERE id = $1', [res.body.id]);
          expect(row).toEqual({ format: res.body.format, codec: res.body.codec, channels: stream.channels, sample_rate: Number(stream.sample_rate), duration_seconds: expect.closeTo(res.body.duration, 4) });
          expect(stream.codec_name.startsWith(String(row.codec).replace('pcm', 'pcm_s24'))).toBe(true);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 60_000);

    it("another user's reference, or an unknown id, is 404 and queues nothing", async () => {
      const before = (await t!.http().get('/v1/generations').set(auth).expect(200)).body.items.length as number;
      const other = await signIn(t!);
      const theirs = (await upload(melody, other).expect(201)).body.id as string;
      const refused = await t!.http().post('/v1/generations').set(auth).send({ prompt: 'x', duration: 1, reference_id: theirs }).expect(404);
      expect(refused.body.code).toBe('not_found');
      await t!.http().post('/v1/generations').set(auth).send({ prompt: 'x', duration: 1, reference_id: 'nope' }).expect(404);
      await t!.http().get(`/v1/references/${theirs}`).set(auth).expect(404);
      expect((await t!.http().get('/v1/generations').set(auth).expect(200)).body.items).toHaveLength(before);
    });

    it('an engine without reference support (offline) answers 400 reference_not_supported', async () => {
      const id = (await upload(melody).expect(201)).body.id as string;
      const refused = await t!.http().post('/v1/generations').set(auth).send({ prompt: 'x', duration: 1, engine: 'offline', reference_id: id }).expect(400);
      expect(refused.body).toMatchObject({ code: 'reference_not_supported', message: expect.stringContaining('"offline" cannot use reference audio') });
    });

    it('a deleted reference is gone (404) and its file removed', async () => {
      const id = (await upload(melody).expect(201)).body.id as string;
      await t!.http().delete(`/v1/references/${id}`).set(auth).expect(204);
      await t!.http().get(`/v1/references/${id}`).set(auth).expect(404);
      await t!.http().post('/v1/generations').set(auth).send({ prompt: 'x', duration: 1, reference_id: id }).expect(404);
    });
  });
});
