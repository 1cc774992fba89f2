/**
 * The HTTP plumbing the dev tools' fake servers (tools/fake-space, tools/fake-translate)
 * share: JSON values, reading a bounded body, writing an answer, listening and closing,
 * and running a server as a process. Plain node:http, no framework: the fakes speak
 * other services' wire formats byte for byte.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A request's body, at most `limit` bytes: past it, throws what `tooLarge()` makes (each service words its 413 its own way). */
export async function readBody(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw tooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Writes a whole answer with its length: a string as text (unless `contentType` says otherwise), anything else as JSON. */
export function send(res: ServerResponse, status: number, body: Json | string, contentType?: string, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'),
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export interface HttpServerOptions {
  port: number;
  host: string;
  /** answers one request; what it throws goes to `answerError` */
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** answers a request whose handler threw before it sent its headers */
  answerError: (error: unknown, res: ServerResponse) => void;
  /** runs first when the server closes (timers, queues, open event streams) */
  beforeClose?: () => void;
}

export interface ListeningServer {
  /** http://host:port, an IPv6 host in brackets */
  url: string;
  port: number;
  /** stops listening and drops every connection; the same promise on every call */
  close(): Promise<void>;
}

/** Listens on `port` (0: a free one) and `host`; resolves once it does. A handler that fails after its headers went out drops the connection. */
export async function listenHttp({ port, host, handle, answerError, beforeClose }: HttpServerOptions): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else answerError(error, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        beforeClose?.();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * Runs a fake server as a process: PORT (`defaultPort`) and HOST (127.0.0.1) from the
 * environment, `start` them, print `banner(server)`, close on SIGTERM or SIGINT. A bad
 * PORT or a failed start prints `<name>: <why>` and exits 1.
 */
export function runServerProcess<S extends { close(): Promise<void> }>(name: string, defaultPort: number, start: (address: { port: number; host: string }) => Promise<S>, banner: (server: S) => string): void {
  const main = async (): Promise<void> => {
    const port = Number(process.env.PORT ?? defaultPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid PORT ${process.env.PORT}`);
    const host = process.env.HOST?.trim() || '127.0.0.1';
    const server = await start({ port, host });
    console.log(banner(server));
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      console.log(`${name}: ${signal}, closing`);
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  };
  main().catch((err: unknown) => {
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
