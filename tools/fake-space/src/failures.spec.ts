/** Every failure mode, as the real @gradio/client 2.x reports it. */
import { Client } from '@gradio/client';
import { probeAudio, readWavInfo, sniffAudioFormat } from '@texttune/audio';
import { APP_ERROR_MESSAGE, METADATA_URL, NOT_AUDIO_BYTES, ZEROGPU_QUOTA_MESSAGE, ZEROGPU_QUOTA_TITLE } from './failures';
import { startFakeSpace, type FakeSpace } from './server';
import { asFileData, drain, fetchBytes, quietConsole } from './spec-helpers';

const TOKEN = 'hf_privateSpaceToken';
const MUSIC = { text: 'ambient pads', melody: null, duration: 1 };

describe('failure modes seen through @gradio/client', () => {
  let space: FakeSpace;
  let restoreConsole: () => void;
  const clients: Client[] = [];
  const connect = async (options: Parameters<typeof Client.connect>[1] = {}): Promise<Client> => {
    const client = await Client.connect(space.url, { events: ['data', 'status'], ...options });
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    space = await startFakeSpace({ delayMs: 1, slowMs: 600, oversizeBytes: 200_000 });
  });
  beforeEach(() => {
    restoreConsole = quietConsole();
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
    space.reset();
    restoreConsole();
  });
  afterAll(() => space.close());

  describe('private Space (requireToken) and auth', () => {
    it('refuses to connect without a token: non-JSON 401 -> the "private Space" message', async () => {
      space.configure({ requireToken: TOKEN });
      await expect(connect()).rejects.toThrow(/received a 401 response.*private Hugging Face Space/);
      expect(space.requests()).toEqual([expect.objectContaining({ route: 'config', status: 401, authorization: null })]);
    });

    it('refuses a wrong token: JSON 401 -> "Login credentials are required"', async () => {
      space.configure({ requireToken: TOKEN });
      await expect(connect({ token: 'hf_wrong' })).rejects.toThrow('Login credentials are required to access this space.');
      expect(space.requests()[0].authorization).toBe('Bearer hf_wrong');
    });

    it('lets the right token through everywhere, but the client sends cancel without it (401)', async () => {
      space.configure({ requireToken: TOKEN, fail: 'slow' });
      const client = await connect({ token: TOKEN });
      const job = client.submit('/predict_full', MUSIC);
      const done = drain(job);
      await new Promise((r) => setTimeout(r, 100));
      await job.cancel();
      // the cancel never reaches the job, so it runs to completion
      const outcome = await done;
      expect(outcome.final?.stage).toBe('complete');
      const cancel = space.requests('cancel')[0];
      expect(cancel).toMatchObject({ status: 401, authorization: null });
      expect(space.requests('join')[0].authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('auth mode without a configured token rejects every token', async () => {
      space.configure({ fail: 'auth' });
      await expect(connect({ token: 'hf_anything' })).rejects.toThrow('Login credentials are required');
    });
  });

  it('quota: ZeroGPU error with HTML and its title, after process_starts', async () => {
    space.configure({ fail: 'quota' });
    const client = await connect();
    const outcome = await drain(client.submit('/predict_full', MUSIC));
    expect(outcome.final).toMatchObject({ stage: 'error', message: ZEROGPU_QUOTA_MESSAGE, title: ZEROGPU_QUOTA_TITLE });
    expect(outcome.final?.message).toContain('<a ');
    expect(outcome.data).toHaveLength(0);
    await expect(client.predict('/predict_full', MUSIC)).rejects.toThrow(/exceeded your GPU quota/);
  });

  it('error: a gr.Error from the app, title "Error"', async () => {
    space.configure({ fail: 'error' });
    const client = await connect();
    const outcome = await drain(client.submit('/predict_full', MUSIC));
    expect(outcome.final).toMatchObject({ stage: 'error', message: APP_ERROR_MESSAGE, title: 'Error' });
  });

  it('crash: an exception hidden by show_error=False surfaces as "An error occurred"', async () => {
    space.configure({ fail: 'crash' });
    const client = await connect();
    const outcome = await drain(client.submit('/predict_full', MUSIC));
    expect(outcome.final).toMatchObject({ stage: 'error', message: 'An error occurred' });
    expect(space.jobs()[0]).toMatchObject({ status: 'failed', error: 'RuntimeError: simulated crash' });
  });

  it('a short positional call is padded with nulls by the client, then fails the Duration slider check', async () => {
    const client = await connect();
    const outcome = await drain(client.submit('/predict_full', ['facebook/musicgen-melody', '', 'Default', 'x']));
    expect(outcome.final).toMatchObject({ stage: 'error', message: 'Value null is not a number.', title: 'Error' });
    const sent = space.requests('join')[0].body as { data: unknown[] };
    expect(sent.data).toEqual(['facebook/musicgen-melody', '', 'Default', 'x', null, null, null, null, null, null]);
  });

  it('unavailable: queue/join answers 503 -> the client says the app is busy', async () => {
    space.configure({ fail: 'unavailable' });
    const client = await connect();
    const outcome = await drain(client.submit('/predict_full', MUSIC));
    expect(outcome.final).toMatchObject({ stage: 'error', message: 'This application is currently busy. Please try again. ' });
    expect(space.requests('join')[0].status).toBe(503);
  });

  it('sleeping: the config answers 503 -> connect fails', async () => {
    space.configure({ fail: 'sleeping' });
    await expect(connect()).rejects.toThrow('Could not resolve app config. (received status 503 when fetching the app config)');
  });

  it('foreign-url: outputs point at another host and at the metadata address', async () => {
    space.configure({ fail: 'foreign-url', foreignBaseUrl: 'http://evil.example.invalid' });
    const client = await connect();
    const [video, wav] = (await client.predict('/predict_full', MUSIC)).data as { video: unknown }[];
    expect(asFileData(wav).url).toBe('http://evil.example.invalid/x.wav');
    expect(asFileData(video.video).url).toBe(METADATA_URL);
    // the path still names a real file on the Space
    expect((await fetchBytes(`${space.url}/gradio_api/file=${asFileData(wav).path}`)).status).toBe(200);
  });

  it('metadata-url: the audio url is the cloud metadata endpoint', async () => {
    space.configure({ fail: 'metadata-url' });
    const client = await connect();
    const data = (await client.predict('/predict_full', MUSIC)).data as unknown[];
    expect(new URL(asFileData(data[1]).url).hostname).toBe('169.254.169.254');
  });

  it('data-url: the audio comes inline as a base64 data: URL of a real WAV', async () => {
    space.configure({ fail: 'data-url' });
    const client = await connect();
    const audio = ((await client.predict('/predict_full', MUSIC)).data as unknown[])[1];
    expect(typeof audio).toBe('string');
    const [head, b64] = String(audio).split(',');
    expect(head).toBe('data:audio/wav;base64');
    expect(readWavInfo(Buffer.from(b64, 'base64'))?.durationSeconds).toBe(1);
  });

  it('oversize: a WAV past the limit, size null, served chunked without Content-Length', async () => {
    space.configure({ fail: 'oversize' });
    const client = await connect();
    const wav = asFileData(((await client.predict('/predict_full', MUSIC)).data as unknown[])[1]);
    expect(wav.size).toBeNull();
    const file = await fetchBytes(wav.url);
    expect(file.headers.get('content-length')).toBeNull();
    expect(file.bytes.length).toBeGreaterThan(200_000);
    expect(readWavInfo(file.bytes)?.format).toBe('pcm');
  });

  it('not-audio: an HTML page named .wav served as audio/wav', async () => {
    space.configure({ fail: 'not-audio' });
    const client = await connect();
    const wav = asFileData(((await client.predict('/predict_full', MUSIC)).data as unknown[])[1]);
    expect(wav.orig_name).toBe('tmp_audio.wav');
    const file = await fetchBytes(wav.url);
    expect(file.headers.get('content-type')).toBe('audio/wav');
    expect(file.bytes.equals(NOT_AUDIO_BYTES)).toBe(true);
    expect(readWavInfo(file.bytes)).toBeNull();
  });

  it.each([
    ['bad-audio', 'The WAV file declares 0 channels.'],
    ['truncated-audio', 'only'],
  ] as const)('%s: a WAV that passes a sniff but does not decode', async (fail, reason) => {
    space.configure({ fail });
    const client = await connect();
    const wav = asFileData(((await client.predict('/predict_full', MUSIC)).data as unknown[])[1]);
    const file = await fetchBytes(wav.url);
    expect(sniffAudioFormat(file.bytes)).toBe('wav');
    const probed = probeAudio(file.bytes);
    expect(probed).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('slow: queue positions count down and progress flows until it completes', async () => {
    space.configure({ fail: 'slow' });
    const client = await connect();
    const outcome = await drain(client.submit('/predict_full', MUSIC));
    expect(outcome.statuses.filter((s) => s.size === 3).map((s) => s.position)).toEqual([2, 1, 0]);
    expect(outcome.statuses.filter((s) => s.progress_data)).toHaveLength(4);
    expect(outcome.final?.stage).toBe('complete');
  });

  it('slow + cancel: the job stops; Gradio sends an empty process_completed the client reports as an error', async () => {
    space.configure({ fail: 'slow' });
    const client = await connect();
    const job = client.submit('/predict_full', MUSIC);
    const done = drain(job);
    await new Promise((r) => setTimeout(r, 150));
    await job.cancel();
    const outcome = await done;
    expect(outcome.final).toMatchObject({ stage: 'error', message: 'An Unexpected Error Occurred!' });
    expect(outcome.data).toHaveLength(0);
    expect(space.jobs()[0]).toMatchObject({ status: 'cancelled', error: 'cancelled by client' });
    expect(space.requests('cancel')[0].body).toMatchObject({ event_id: space.jobs()[0].eventId, fn_index: 1 });
    expect(space.requests('reset')).toHaveLength(1);
  });

  it('drop: the SSE connection is cut mid-job -> broken connection error', async () => {
    space.configure({ fail: 'drop' });
    const client = await connect();
    const outcome = await drain(client.submit('/predict_full', MUSIC));
    expect(outcome.final).toMatchObject({ stage: 'error', message: 'Connection errored out. ', broken: true });
  });

  it('a client that walks away from queue/data cancels its job', async () => {
    space.configure({ fail: 'slow' });
    const client = await connect();
    const job = client.submit('/predict_full', MUSIC);
    await new Promise((r) => setTimeout(r, 150));
    client.close();
    await job.return();
    await new Promise((r) => setTimeout(r, 50));
    expect(space.jobs()[0]).toMatchObject({ status: 'cancelled', error: 'client disconnected from queue/data' });
  });

  it('connect_heartbeat makes the client open the heartbeat stream', async () => {
    space.configure({ connectHeartbeat: true });
    const client = await connect();
    await new Promise((r) => setTimeout(r, 50));
    expect(space.requests('heartbeat')[0].path).toBe(`/gradio_api/heartbeat/${client.session_hash}`);
  });
});
