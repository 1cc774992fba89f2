import { listenHttp, readBody, send, type ListeningServer } from './index';

class TooLarge extends Error {}

describe('listenHttp', () => {
  let server: ListeningServer | undefined;
  afterEach(() => server?.close());

  const start = (handle: Parameters<typeof listenHttp>[0]['handle'], beforeClose?: () => void) =>
    listenHttp({
      port: 0,
      host: '127.0.0.1',
      handle,
      answerError: (error, res) => send(res, error instanceof TooLarge ? 413 : 500, { error: error instanceof Error ? error.constructor.name : 'unknown' }),
      beforeClose,
    });

  it('answers through the handler, JSON and text with their lengths', async () => {
    server = await start(async (req, res) => (req.url === '/text' ? send(res, 200, 'héllo') : send(res, 201, { body: (await readBody(req, 100, () => new TooLarge())).toString() })));
    const json = await fetch(`${server.url}/json`, { method: 'POST', body: 'abc' });
    expect([json.status, json.headers.get('content-type'), await json.json()]).toEqual([201, 'application/json', { body: 'abc' }]);
    const text = await fetch(`${server.url}/text`);
    expect([text.headers.get('content-type'), text.headers.get('content-length'), await text.text()]).toEqual(['text/plain; charset=utf-8', '6', 'héllo']);
  });

  it('turns what a handler throws into the answer answerError writes, and a body past the limit into its error', async () => {
    server = await start(async (req, res) => send(res, 200, { size: (await readBody(req, 4, () => new TooLarge())).length }));
    expect((await fetch(server.url, { method: 'POST', body: '1234' })).status).toBe(200);
    const refused = await fetch(server.url, { method: 'POST', body: '12345' });
    expect([refused.status, await refused.json()]).toEqual([413, { error: 'TooLarge' }]);
  });

  it('drops the connection when the handler fails after its headers went out', async () => {
    server = await start(async (_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('12');
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('late');
    });
    const res = await fetch(server.url);
    await expect(res.text()).rejects.toThrow();
  });

  it('closes once, running beforeClose first, and ends open connections', async () => {
    const calls: string[] = [];
    server = await start(() => new Promise(() => undefined), () => calls.push('beforeClose'));
    const hanging = fetch(server.url).catch(() => 'dropped');
    await new Promise((r) => setTimeout(r, 50));
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    expect(await hanging).toBe('dropped');
    expect(calls).toEqual(['beforeClose']);
    await expect(fetch(server.url)).rejects.toThrow();
    server = undefined;
  });

  it('rejects when the port is taken', async () => {
    server = await start(async (_req, res) => send(res, 204, ''));
    await expect(listenHttp({ port: server.port, host: '127.0.0.1', handle: async () => undefined, answerError: () => undefined })).rejects.toThrow(/EADDRINUSE/);
  });
});
