import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { downloadAudio, pickAudioOutput, resolveOutputUrl, type AudioSource, type DownloadOptions } from './outputs';

const WAV = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(64, 1)]);

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function readAll(body: Readable | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('Space outputs', () => {
  it('prefers the Audio output, reads {video: FileData}, plain strings and data: URLs', () => {
    const outputs = [
      { index: 1, label: 'wav', component: 'Audio' },
      { index: 0, label: 'video', component: 'Video' },
    ];
    const file = { path: '/tmp/gradio/a/x.wav', url: 'http://s/gradio_api/file=/tmp/gradio/a/x.wav', size: 10, mime_type: 'audio/wav', meta: { _type: 'gradio.FileData' } };
    expect(pickAudioOutput(outputs, [{ video: { ...file, path: 'v.mp4' }, subtitles: null }, file])?.source).toMatchObject({ kind: 'url', url: file.url, outputIndex: 1 });
    // the audio output is empty: fall back to the video's file
    expect(pickAudioOutput(outputs, [{ video: { path: 'v.mp4', url: null }, subtitles: null }, null])?.source).toMatchObject({ kind: 'path', path: 'v.mp4', outputIndex: 0 });
    expect(pickAudioOutput([{ index: 0, label: 'a', component: 'Audio' }], ['data:audio/wav;base64,UklGRg=='])?.source).toMatchObject({ kind: 'data', mimeType: 'audio/wav', base64: 'UklGRg==' });
    expect(pickAudioOutput([{ index: 0, label: 'a', component: 'Audio' }], ['/tmp/gradio/x.wav'])?.source).toMatchObject({ kind: 'path', path: '/tmp/gradio/x.wav' });
    expect(pickAudioOutput(outputs, [null, null])).toBeNull();
  });

  it('builds file= URLs for paths and refuses URLs off the Space origin (SSRF)', () => {
    const options = { baseUrl: 'http://gpu-box:7860', apiPrefix: '/gradio_api', origin: 'http://gpu-box:7860', space: 'http://gpu-box:7860' };
    expect(resolveOutputUrl({ kind: 'path', path: '/tmp/gradio/a b/x.wav', claimedMimeType: null, size: null, outputIndex: 0 }, options).href).toBe('http://gpu-box:7860/gradio_api/file=/tmp/gradio/a%20b/x.wav');
    const url = (u: string) => ({ kind: 'url' as const, url: u, claimedMimeType: null, size: null, outputIndex: 0 });
    expect(resolveOutputUrl(url('/gradio_api/file=/tmp/x.wav'), options).href).toBe('http://gpu-box:7860/gradio_api/file=/tmp/x.wav');
    for (const bad of ['http://169.254.169.254/latest/meta-data/', 'http://127.0.0.1:7860/x.wav', 'http://gpu-box:7861/x.wav', 'https://gpu-box:7860/x.wav', 'file:///etc/passwd', 'http://u:p@gpu-box:7860/x']) {
      expect(() => resolveOutputUrl(url(bad), options)).toThrow(expect.objectContaining({ code: 'invalid_output' }));
    }
  });

  describe('downloadAudio', () => {
    let space: Awaited<ReturnType<typeof listen>>;
    let other: Awaited<ReturnType<typeof listen>>;
    beforeAll(async () => {
      other = await listen((_req, res) => res.end(WAV));
      space = await listen((req, res) => {
        if (req.url === '/ok.wav') res.end(WAV);
        else if (req.url === '/redirect-home') res.writeHead(302, { location: '/ok.wav' }).end();
        else if (req.url === '/redirect-away') res.writeHead(302, { location: `${other.url}/stolen.wav` }).end();
        else if (req.url === '/big-declared') res.writeHead(200, { 'content-length': String(10_000) }).end(Buffer.alloc(10_000));
        else if (req.url === '/big-chunked') {
          res.writeHead(200, { 'content-type': 'audio/wav' });
          for (let i = 0; i < 20; i++) res.write(Buffer.alloc(1000));
          res.end();
        } else if (req.url === '/stall') {
          res.writeHead(200);
          res.write(WAV.subarray(0, 10));
        } else if (req.url === '/private') res.writeHead(401).end();
        else res.writeHead(404).end();
      });
    });
    afterAll(async () => {
      space.server.closeAllConnections();
      other.server.closeAllConnections();
      await Promise.all([new Promise((r) => space.server.close(r)), new Promise((r) => other.server.close(r))]);
    });
    const options = (overrides: Partial<DownloadOptions> = {}): DownloadOptions => ({
      baseUrl: space.url,
      apiPrefix: '',
      origin: space.url,
      token: 'hf_secret',
      maxBytes: 5000,
      signal: new AbortController().signal,
      stallMs: 2000,
      space: 'test-space',
      ...overrides,
    });
    const at = (path: string, size: number | null = null): AudioSource => ({ kind: 'url', url: `${space.url}${path}`, claimedMimeType: null, size, outputIndex: 0 });

    it('streams the file from the Space with the token, following same-origin redirects', async () => {
      const got = await downloadAudio(at('/redirect-home'), options());
      expect(await readAll(got.body)).toEqual(WAV);
      expect(got).toMatchObject({ via: 'url', url: `${space.url}/ok.wav`, declaredBytes: WAV.length });
      expect(space.seen.slice(-2).map((r) => [r.url, r.headers.authorization])).toEqual([
        ['/redirect-home', 'Bearer hf_secret'],
        ['/ok.wav', 'Bearer hf_secret'],
      ]);
    });

    it('never follows a redirect to another host, so the token stays on the Space', async () => {
      await expect(downloadAudio(at('/redirect-away'), options())).rejects.toMatchObject({ code: 'invalid_output', message: expect.stringContaining('not the Space') });
      expect(other.seen).toHaveLength(0);
    });

    it('refuses more than maxBytes: by Content-Length, by FileData size, or while streaming', async () => {
      await expect(downloadAudio(at('/big-declared'), options())).rejects.toMatchObject({ code: 'invalid_output', message: expect.stringContaining('MAX_AUDIO_BYTES') });
      await expect(downloadAudio(at('/ok.wav', 9999), options())).rejects.toMatchObject({ code: 'invalid_output' });
      const chunked = await downloadAudio(at('/big-chunked'), options());
      await expect(readAll(chunked.body)).rejects.toMatchObject({ code: 'invalid_output' });
      const data = { kind: 'data' as const, mimeType: 'audio/wav', base64: Buffer.alloc(6000).toString('base64'), outputIndex: 0 };
      await expect(downloadAudio(data, options())).rejects.toMatchObject({ code: 'invalid_output' });
    });

    it('gives up on a download that stalls; 401 is space_auth, 404 invalid_output', async () => {
      const stalled = await downloadAudio(at('/stall'), options({ stallMs: 200 }));
      await expect(readAll(stalled.body)).rejects.toMatchObject({ code: 'timeout' });
      await expect(downloadAudio(at('/private'), options())).rejects.toMatchObject({ code: 'space_auth' });
      await expect(downloadAudio(at('/missing'), options())).rejects.toMatchObject({ code: 'invalid_output' });
    });

    it('stops when the job is canceled', async () => {
      const controller = new AbortController();
      const stalled = await downloadAudio(at('/stall'), options({ signal: controller.signal, stallMs: 5000 }));
      setTimeout(() => controller.abort(new Error('canceled by the user')), 50);
      await expect(readAll(stalled.body)).rejects.toThrow();
    });
  });
});
