import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkLiteralAddress, nonPublicRange, parseWebhookUrl, postTo, resolveTarget, WebhookTargetRefused } from './webhook-target';

const closed = { allowPrivate: false, allowedHosts: [] };

describe('nonPublicRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
  ])('%s is %s', (address, range) => {
    expect(nonPublicRange(address)).toBe(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'])('%s is public', (address) => {
    expect(nonPublicRange(address)).toBeNull();
  });
});

describe('webhook URLs', () => {
  it('accepts http(s) only', () => {
    expect(parseWebhookUrl('https://portal.example.com/hooks').host).toBe('portal.example.com');
    expect(() => parseWebhookUrl('ftp://portal.example.com/')).toThrow(WebhookTargetRefused);
    expect(() => parseWebhookUrl('file:///etc/passwd')).toThrow(/https:\/\/ or http:\/\//);
    expect(() => parseWebhookUrl('portal.example.com/hooks')).toThrow(/not a URL/);
  });

  it('refuses private IP literals unless allowed, and leaves host names to delivery', () => {
    expect(() => checkLiteralAddress(new URL('http://[fd00::1]/'), closed)).toThrow(/uniqueLocal address/);
    expect(() => checkLiteralAddress(new URL('http://10.0.0.8/'), { allowPrivate: false, allowedHosts: ['10.0.0.8'] })).not.toThrow();
    expect(() => checkLiteralAddress(new URL('http://10.0.0.8/'), { allowPrivate: true, allowedHosts: [] })).not.toThrow();
    expect(() => checkLiteralAddress(new URL('http://internal.example.com/'), closed)).not.toThrow();
  });

  it('checks what a host name resolves to, unless the host is allowed', async () => {
    await expect(resolveTarget(new URL('http://localhost/'), closed)).rejects.toThrow(/localhost resolves to .*loopback/);
    await expect(resolveTarget(new URL('http://localhost/'), { allowPrivate: false, allowedHosts: ['localhost'] })).resolves.toMatchObject({ address: expect.any(String) });
    await expect(resolveTarget(new URL('http://name.invalid/'), { allowPrivate: true, allowedHosts: [] })).rejects.toThrow(/could not be resolved/);
  });
});

describe('postTo', () => {
  let server: http.Server;
  const seen: { host?: string; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ host: req.headers.host, body });
        if (req.url === '/redirect') res.writeHead(302, { location: '/elsewhere' }).end();
        else if (req.url === '/hang') return;
        else res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const port = () => (server.address() as AddressInfo).port;

  it('connects to the checked address whatever the name would resolve to now', async () => {
    // .invalid never resolves: the request can only have reached the server through the pinned address.
    const result = await postTo(new URL(`http://rebinding.invalid:${port()}/hook`), { address: '127.0.0.1', family: 4 }, { 'content-type': 'application/json' }, '{"a":1}', 2000);
    expect(result.status).toBe(202);
    expect(seen.at(-1)).toEqual({ host: `rebinding.invalid:${port()}`, body: '{"a":1}' });
  });

  it('does not follow redirects, and gives up after the timeout', async () => {
    expect((await postTo(new URL(`http://127.0.0.1:${port()}/redirect`), { address: '127.0.0.1', family: 4 }, {}, '{}', 2000)).status).toBe(302);
    await expect(postTo(new URL(`http://127.0.0.1:${port()}/hang`), { address: '127.0.0.1', family: 4 }, {}, '{}', 200)).rejects.toThrow(/no answer within 200 ms/);
  });
});
