import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One POST the receiver got, checked with the official Standard Webhooks library. */
export interface ReceivedWebhook {
  path: string;
  id: string;
  timestamp: string;
  /** what `Webhook.verify` returned: the parsed body (it throws on a bad signature) */
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** the answer given */
  answered: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests. Each path has a secret to verify
 * with (set after the endpoint is created) and a script of answers: the next status per
 * request (the last one repeats; 0 means never answer). Unverifiable requests are
 * recorded in `rejected` and answered 400.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly rejected: { path: string; reason: string }[] = [];
  private readonly secrets = new Map<string, string>();
  private readonly scripts = new Map<string, number[]>();
  private readonly hanging = new Set<http.ServerResponse>();
  private server?: http.Server;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** Verify requests to `path` with `secret` and answer them with `answers` in order. */
  route(path: string, secret: string, answers: number[] = [204]): void {
    this.secrets.set(path, secret);
    this.scripts.set(path, [...answers]);
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const path = req.url ?? '/';
    const secret = this.secrets.get(path);
    if (!secret) {
      this.rejected.push({ path, reason: 'no route' });
      res.writeHead(404).end();
      return;
    }
    let payload: ReceivedWebhook['payload'];
    try {
      payload = new Webhook(secret).verify(body, {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      }) as ReceivedWebhook['payload'];
    } catch (error) {
      this.rejected.push({ path, reason: (error as Error).message });
      res.writeHead(400).end();
      return;
    }
    const script = this.scripts.get(path)!;
    const answer = script.length > 1 ? script.shift()! : script[0];
    this.received.push({ path, id: String(req.headers['webhook-id']), timestamp: String(req.headers['webhook-timestamp']), payload, answered: answer });
    if (answer === 0) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
