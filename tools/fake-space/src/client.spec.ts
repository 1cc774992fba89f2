/** Each app driven by the real @gradio/client 2.x, in both URL layouts. */
import { Client, handle_file } from '@gradio/client';
import { readWavInfo } from '@texttune/audio';
import { startFakeSpace, type FakeSpace } from './server';
import { asFileData, drain, fetchBytes } from './spec-helpers';
import { renderTrack, sha256Hex } from './wav-render';

const TOKEN = 'hf_fakeSpaceToken123';

describe.each(['gradio5', 'gradio4'] as const)('@gradio/client against the %s layout', (layout) => {
  let space: FakeSpace;
  const clients: Client[] = [];
  const connect = async (options: Parameters<typeof Client.connect>[1] = {}): Promise<Client> => {
    const client = await Client.connect(space.url, { events: ['data', 'status'], ...options });
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    space = await startFakeSpace({ layout, delayMs: 2 });
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
    space.reset();
  });
  afterAll(() => space.close());

  it('detects the prefix from the config and lists the named endpoints', async () => {
    const client = await connect();
    expect(client.api_prefix).toBe(layout === 'gradio5' ? '/gradio_api' : '');
    const api = await client.view_api();
    expect(Object.keys(api.named_endpoints)).toEqual(['/toggle_diffusion', '/predict_full']);
    expect(api.named_endpoints['/predict_full'].parameters.map((p) => p.label)).toContain('Classifier Free Guidance');
    expect(space.requests().map((r) => r.path)).toEqual(['/config', layout === 'gradio5' ? '/gradio_api/info' : '/info']);
  });

  it('musicgen: predict_full returns a real WAV of the requested length, rendered from the prompt', async () => {
    const client = await connect({ token: TOKEN });
    const outcome = await drain(client.submit('/predict_full', { text: 'upbeat synthwave', melody: null, duration: 3, model: 'facebook/musicgen-small' }));
    expect(outcome.final?.stage).toBe('complete');
    const stages = outcome.statuses.map((s) => s.stage);
    expect(stages[0]).toBe('pending');
    // estimation -> position/size/eta; progress -> progress_data
    expect(outcome.statuses.find((s) => s.size === 1)).toMatchObject({ position: 0, queue: true });
    const progress = outcome.statuses.filter((s) => s.progress_data).map((s) => s.progress_data?.[0]);
    expect(progress.map((p) => p?.index)).toEqual([38, 75, 113, 150]);
    expect(progress.every((p) => p?.length === 150 && p.unit === 'steps')).toBe(true);

    const [video, wavOut, mbdVideo, mbdWav] = outcome.data[0].data as unknown[];
    expect(mbdVideo).toBeNull();
    expect(mbdWav).toBeNull();
    expect(asFileData((video as { video: unknown }).video).orig_name).toBe('tmp_video.mp4');
    const wav = asFileData(wavOut);
    expect(wav.url.startsWith(`${space.url}${client.api_prefix}/file=/tmp/gradio/`)).toBe(true);
    const file = await fetchBytes(wav.url);
    expect(readWavInfo(file.bytes)).toMatchObject({ sampleRate: 32000, channels: 1, durationSeconds: 3 });
    expect(file.bytes.length).toBe(wav.size);
    const [job] = space.jobs();
    expect(job.renderedSha256[0]).toBe(sha256Hex(file.bytes));
    expect(job.inputsByLabel).toMatchObject({ 'Input Text': 'upbeat synthwave', Duration: 3, Model: 'facebook/musicgen-small', Decoder: 'Default', 'Top-k': 250 });
    // a different prompt renders different bytes
    const other = renderTrack({ prompt: 'sad violin', seed: 'x', durationSeconds: 3, sampleRate: 32000, channels: 1 });
    expect(other.sha256).not.toBe(job.renderedSha256[0]);
  });

  it('sends the token on config, info, upload, join and queue/data', async () => {
    const client = await connect({ token: TOKEN });
    // by fn_index, positional data; the melody Buffer goes through upload first
    const melody = handle_file(Buffer.from('RIFF....WAVE'));
    const outcome = await drain(client.submit(1, ['facebook/musicgen-melody', '', 'Default', 'x', melody, 1, 250, 0, 1, 3]));
    expect(outcome.final?.stage).toBe('complete');
    const byRoute = new Map(space.requests().map((r) => [r.route, r]));
    for (const route of ['config', 'info', 'upload', 'join', 'data'] as const) {
      expect([route, byRoute.get(route)?.authorization]).toEqual([route, `Bearer ${TOKEN}`]);
    }
    expect(byRoute.get('join')?.headers['x-gradio-user']).toBe('api');
  });

  it('musicgen: uploads a melody with handle_file and the job gets it', async () => {
    const client = await connect();
    const melody = renderTrack({ prompt: 'hum', seed: 1, durationSeconds: 1, sampleRate: 32000, channels: 1 }).wav;
    const withMelody = await client.predict('/predict_full', { text: 'folk', melody: handle_file(melody), duration: 1 });
    const withoutMelody = await client.predict('/predict_full', { text: 'folk', melody: null, duration: 1 });
    const [upload] = space.requests('upload');
    expect(upload.uploads?.[0]).toMatchObject({ size: melody.length, sha256: sha256Hex(melody) });
    const jobs = space.jobs();
    expect(jobs[0].inputsByLabel.File).toMatchObject({ path: upload.uploads?.[0].path, meta: { _type: 'gradio.FileData' } });
    // the melody feeds the seed: same prompt, different audio
    expect(jobs[0].renderedSha256[0]).not.toBe(jobs[1].renderedSha256[0]);
    expect(asFileData((withMelody.data as unknown[])[1]).url).not.toBe(asFileData((withoutMelody.data as unknown[])[1]).url);
  });

  it('musicgen: the endpoint choice matters (fn_index 0 is the unqueued toggle)', async () => {
    const client = await connect();
    const toggled = await client.predict('/toggle_diffusion', ['MultiBand_Diffusion']);
    expect(toggled.data).toEqual([
      { __type__: 'update', visible: true },
      { __type__: 'update', visible: true },
    ]);
    expect(space.requests('run')[0].path).toBe(`${client.api_prefix}/run/toggle_diffusion`);
    expect(space.requests('join')).toHaveLength(0);
  });

  it('musicgen: rejects an out-of-range duration and an unknown model like Gradio components do', async () => {
    const client = await connect();
    await expect(client.predict('/predict_full', { text: 'x', melody: null, duration: 300 })).rejects.toThrow('Value 300 is greater than maximum value 120.');
    await expect(client.predict('/predict_full', { text: 'x', melody: null, model: 'facebook/musicgen-huge' })).rejects.toThrow(/is not in the list of choices/);
  });

  it('batched: predict_batched takes a description and an optional melody, returns one 10 s Audio', async () => {
    space.configure({ app: 'batched' });
    const client = await connect();
    const result = await client.predict('/predict_batched', ['lofi hip hop', handle_file(Buffer.from(renderTrack({ prompt: 'm', seed: 2, durationSeconds: 0.5, sampleRate: 32000, channels: 1 }).wav))]);
    const data = result.data as unknown[];
    expect(data).toHaveLength(1);
    const file = await fetchBytes(asFileData(data[0]).url);
    expect(readWavInfo(file.bytes)?.durationSeconds).toBe(10);
    expect(space.jobs()[0].inputsByLabel['Describe your music']).toBe('lofi hip hop');
  });

  it('stable-audio: generate honours Seconds total and Seed', async () => {
    space.configure({ app: 'stable-audio' });
    const client = await connect();
    const run = async (seed: number) =>
      asFileData(((await client.predict('/generate', { prompt: '128 BPM techno', negative_prompt: '', seconds_total: 2, seed, steps: 20, cfg_scale: 7 })).data as unknown[])[0]);
    const a = await fetchBytes((await run(7)).url);
    const b = await fetchBytes((await run(7)).url);
    const c = await fetchBytes((await run(8)).url);
    expect(readWavInfo(a.bytes)).toMatchObject({ sampleRate: 44100, channels: 2, durationSeconds: 2 });
    expect(sha256Hex(a.bytes)).toBe(sha256Hex(b.bytes));
    expect(sha256Hex(c.bytes)).not.toBe(sha256Hex(a.bytes));
    expect(space.jobs()[0].inputsByLabel).toMatchObject({ Prompt: '128 BPM techno', 'Seconds total': 2, Seed: 7, Steps: 20, 'CFG scale': 7 });
  });
});
