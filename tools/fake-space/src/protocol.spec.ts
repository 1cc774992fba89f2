/** The wire protocol checked with plain fetch: shapes, prefixes, SSE order, files, the control routes. */
import { readWavInfo } from '@texttune/audio';
import { startFakeSpace, type FakeSpace } from './server';
import { classify } from './server';
import { fetchBytes } from './spec-helpers';
import { sha256Hex } from './wav-render';
import { isJsonObject, type Json } from './types';

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : null };
}

function obj(value: Json | undefined): { [key: string]: Json } {
  if (!isJsonObject(value ?? null)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value as { [key: string]: Json };
}

/** Reads a queue/data SSE response to the end and returns the JSON messages. */
async function readSse(url: string): Promise<{ [key: string]: Json }[]> {
  const res = await fetch(url);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => obj(JSON.parse(frame.slice(6)) as Json));
}

describe('fake Space protocol', () => {
  let space: FakeSpace;
  beforeAll(async () => {
    space = await startFakeSpace({ delayMs: 1 });
  });
  afterAll(() => space.close());
  beforeEach(() => space.reset());

  it('serves a Gradio 5 config with api_prefix, sse_v3 and root from the Host header', async () => {
    const { status, body } = await getJson(`${space.url}/config`);
    expect(status).toBe(200);
    const config = obj(body);
    expect(config).toMatchObject({ mode: 'blocks', protocol: 'sse_v3', api_prefix: '/gradio_api', enable_queue: true, root: space.url, space_id: null });
    const deps = config.dependencies as Json[];
    expect(deps.map((d) => obj(d).api_name)).toEqual(['toggle_diffusion', 'predict_full']);
    expect(obj(deps[1])).toMatchObject({ id: 1, queue: true, inputs: [5, 6, 7, 2, 3, 8, 9, 10, 11, 12], outputs: [13, 14, 15, 16], backend_fn: true, js: null });
    const duration = (config.components as Json[]).map(obj).find((c) => obj(c.props).label === 'Duration');
    expect(duration).toMatchObject({ type: 'slider', props: { minimum: 1, maximum: 120, value: 10 } });
  });

  it('honours X-Forwarded-Proto in root, as a proxied Space does', async () => {
    const { body } = await getJson(`${space.url}/config`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(obj(body).root).toBe(space.url.replace('http:', 'https:'));
  });

  it('describes the endpoints at /gradio_api/info in the view_api shape', async () => {
    const { body } = await getJson(`${space.url}/gradio_api/info`);
    const info = obj(body);
    expect(info.unnamed_endpoints).toEqual({});
    const predict = obj(obj(info.named_endpoints)['/predict_full']);
    const params = (predict.parameters as Json[]).map(obj);
    expect(params.map((p) => p.parameter_name)).toEqual(['model', 'model_path', 'decoder', 'text', 'melody', 'duration', 'topk', 'topp', 'temperature', 'cfg_coef']);
    expect(params.map((p) => p.label)).toContain('Input Text');
    expect(params.find((p) => p.parameter_name === 'model')).toMatchObject({ component: 'Radio', parameter_has_default: true, parameter_default: 'facebook/musicgen-melody' });
    // Audio has no initial value, so (as in Gradio) it is a required parameter
    expect(params.find((p) => p.parameter_name === 'melody')).toMatchObject({ component: 'Audio', parameter_has_default: false, label: 'File' });
    expect((predict.returns as Json[]).map((r) => obj(r).label)).toEqual([
      'Generated Music (video)',
      'Generated Music (wav)',
      'MultiBand Diffusion Decoder',
      'MultiBand Diffusion Decoder (wav)',
    ]);
  });

  it('keeps the gradio5 routes under /gradio_api only, and moves them to the root in the gradio4 layout', async () => {
    expect((await getJson(`${space.url}/info`)).status).toBe(404);
    space.configure({ layout: 'gradio4' });
    const config = obj((await getJson(`${space.url}/config`)).body);
    expect(config.api_prefix).toBeUndefined();
    expect(config.version).toMatch(/^4\./);
    expect((await getJson(`${space.url}/info`)).status).toBe(200);
    expect((await getJson(`${space.url}/gradio_api/info`)).status).toBe(404);
  });

  it('runs a job over queue/join + queue/data in Gradio order and closes the stream', async () => {
    const join = await getJson(`${space.url}/gradio_api/queue/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        data: ['facebook/musicgen-small', '', 'Default', 'drum and bass', null, 2, 250, 0, 1, 3],
        event_data: null,
        fn_index: 1,
        trigger_id: null,
        session_hash: 'abc123',
      }),
    });
    expect(join.status).toBe(200);
    const eventId = obj(join.body).event_id;
    expect(eventId).toMatch(/^[0-9a-f]{32}$/);

    const messages = await readSse(`${space.url}/gradio_api/queue/data?session_hash=abc123`);
    expect(messages.map((m) => m.msg)).toEqual(['estimation', 'process_starts', 'progress', 'progress', 'progress', 'progress', 'process_completed', 'close_stream']);
    expect(messages.slice(0, -1).every((m) => m.event_id === eventId)).toBe(true);
    expect(messages[0]).toMatchObject({ rank: 0, queue_size: 1 });
    expect(obj((messages[2].progress_data as Json[])[0])).toMatchObject({ index: 25, length: 100, unit: 'steps' });
    const done = messages[6];
    expect(done.success).toBe(true);
    const audio = obj((obj(done.output).data as Json[])[1]);
    expect(audio).toMatchObject({ orig_name: 'tmp_audio.wav', is_stream: false, meta: { _type: 'gradio.FileData' } });
    expect(String(audio.url)).toBe(`${space.url}/gradio_api/file=${String(audio.path)}`);

    const file = await fetchBytes(String(audio.url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/wav');
    expect(readWavInfo(file.bytes)?.durationSeconds).toBe(2);
    expect(space.jobs()[0]).toMatchObject({ status: 'completed', inputsByLabel: { 'Input Text': 'drum and bass', Duration: 2, Model: 'facebook/musicgen-small' } });
    expect(space.jobs()[0].renderedSha256[0]).toBe(sha256Hex(file.bytes));
  });

  it('answers queue/data for an unknown session with 404, like Gradio', async () => {
    expect((await getJson(`${space.url}/gradio_api/queue/data?session_hash=nobody`)).status).toBe(404);
  });

  it('stores multipart uploads and serves them back (with Range), refusing other paths', async () => {
    const form = new FormData();
    form.append('files', new Blob([Buffer.from('RIFFxxxxWAVE')], { type: 'audio/wav' }), 'melody.wav');
    const up = await getJson(`${space.url}/gradio_api/upload`, { method: 'POST', body: form });
    expect(up.status).toBe(200);
    const [path] = up.body as string[];
    expect(path).toMatch(/^\/tmp\/gradio\/[0-9a-f]{40}\/melody\.wav$/);
    const whole = await fetchBytes(`${space.url}/gradio_api/file=${path}`);
    expect(whole.bytes.toString()).toBe('RIFFxxxxWAVE');
    const part = await fetchBytes(`${space.url}/gradio_api/file=${path}`, { headers: { range: 'bytes=8-11' } });
    expect(part.status).toBe(206);
    expect(part.bytes.toString()).toBe('WAVE');
    expect((await fetchBytes(`${space.url}/gradio_api/file=/etc/passwd`)).status).toBe(403);
    expect(space.requests('upload')[0].uploads?.[0]).toMatchObject({ fileName: 'melody.wav', size: 12 });
  });

  it('exposes the request log, settings and reset over /__fake', async () => {
    await fetch(`${space.url}/config`, { headers: { authorization: 'Bearer hf_log' } });
    const log = obj((await getJson(`${space.url}/__fake/requests?route=config`)).body);
    expect((log.requests as Json[]).map(obj)).toEqual([expect.objectContaining({ route: 'config', authorization: 'Bearer hf_log', status: 200 })]);

    const changed = await getJson(`${space.url}/__fake/config`, { method: 'POST', body: JSON.stringify({ app: 'stable-audio', fail: 'quota' }) });
    expect(changed.body).toMatchObject({ app: 'stable-audio', fail: 'quota' });
    const info = obj((await getJson(`${space.url}/gradio_api/info`)).body);
    expect(Object.keys(obj(info.named_endpoints))).toEqual(['/generate']);
    expect((await getJson(`${space.url}/__fake/config`, { method: 'POST', body: JSON.stringify({ fail: 'nope' }) })).status).toBe(400);

    const reset = await getJson(`${space.url}/__fake/reset`, { method: 'POST' });
    expect(reset.body).toMatchObject({ app: 'musicgen', fail: 'none' });
    expect(obj((await getJson(`${space.url}/__fake/requests`)).body).requests).toEqual([]);
  });
});

describe('classify', () => {
  it('maps paths to routes under a prefix', () => {
    expect(classify('/config', '/gradio_api')).toEqual({ name: 'config', arg: '' });
    expect(classify('/gradio_api/file=/tmp/gradio/x/a.wav', '/gradio_api')).toEqual({ name: 'file', arg: '/tmp/gradio/x/a.wav' });
    expect(classify('/gradio_api/run/predict_full', '/gradio_api')).toEqual({ name: 'run', arg: 'predict_full' });
    expect(classify('/queue/join', '/gradio_api')).toBeNull();
    expect(classify('/queue/join', '')).toEqual({ name: 'join', arg: '' });
  });
});
