import type { Express } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TextTuneExpressAdapter } from './express-adapter';

describe('TextTuneExpressAdapter', () => {
  let adapter: TextTuneExpressAdapter;
  let server: http.Server;
  let base: string;
  /** Whether each request and response had Express's prototypes before Express saw them. */
  const arrived: { request: boolean; response: boolean }[] = [];

  beforeAll(async () => {
    adapter = new TextTuneExpressAdapter();
    const app = adapter.getInstance<Express>();
    app.get('/echo', (req, res) => {
      res.status(201).set('X-Echo', req.get('x-probe') ?? '').json({ path: req.path, query: req.query, isRequest: req instanceof http.IncomingMessage, isResponse: res instanceof http.ServerResponse });
    });
    adapter.initHttpServer({});
    server = adapter.getHttpServer();
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      arrived.push({ request: Object.getPrototypeOf(req) === app.request, response: Object.getPrototypeOf(res) === app.response });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('hands Express requests and responses that already have its prototypes', async () => {
    arrived.length = 0;
    await fetch(`${base}/echo`);
    await fetch(`${base}/echo`);
    expect(arrived).toEqual([
      { request: true, response: true },
      { request: true, response: true },
    ]);
  });

  it('keeps every Express and Node feature of the request and response', async () => {
    const res = await fetch(`${base}/echo?x=1`, { headers: { 'X-Probe': 'hello' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-echo')).toBe('hello');
    expect(await res.json()).toEqual({ path: '/echo', query: { x: '1' }, isRequest: true, isResponse: true });
  });

  it('still answers what no route matches with Express’s own 404', async () => {
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });
});
