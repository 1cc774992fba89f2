/**
 * tools/fake-space and tools/fake-translate as child processes (scope:api tests may not
 * import scope:tools code), on free ports, controlled over their `/__fake/*` routes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/common/free-port';

const ROOT = path.resolve(__dirname, '../../../..');

/** Starts `entry` from the sources with PORT set; resolves once it prints `ready`. */
async function startTool(entry: string, env: Record<string, string>, ready: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', './tools/build/register.cjs', entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output}`)), 20_000);
    child.stdout.on('data', () => output.includes(ready) && (clearTimeout(timer), resolve()));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${entry} exited (${code}):\n${output}`))));
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => output };
}

async function stopTool(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function control<T>(url: string, method: 'GET' | 'POST', route: string, body: unknown, output: () => string): Promise<T> {
  const res = await fetch(`${url}/__fake/${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url} ${route}: ${res.status} ${await res.text()}\n${output()}`);
  return (await res.json()) as T;
}

export interface FakeRequest {
  route: string;
  path: string;
  /** path and query as received */
  url: string;
  authorization: string | null;
  status?: number;
  uploads?: { sha256: string; path: string }[];
  body?: unknown;
}
export interface FakeJob {
  eventId: string;
  apiName: string | null;
  status: string;
  inputsByLabel: Record<string, unknown>;
  renderedSha256: string[];
  error: string | null;
}

/** tools/fake-space as a child process, controlled over HTTP. */
export class FakeSpace {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly output: () => string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<FakeSpace> {
    const { url, child, output } = await startTool('tools/fake-space/src/main.ts', { FAKE_SPACE_DELAY_MS: '2', ...env }, 'listening on');
    return new FakeSpace(url, child, output);
  }

  private call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    return control<T>(this.url, method, route, body, this.output);
  }

  /** Forgets requests/jobs/files and applies these settings on top of the start-up ones. */
  async reset(settings: Record<string, unknown> = {}): Promise<void> {
    await this.call('POST', 'reset', {});
    if (Object.keys(settings).length) await this.call('POST', 'config', settings);
  }
  async configure(settings: Record<string, unknown>): Promise<void> {
    await this.call('POST', 'config', settings);
  }
  async requests(route?: string): Promise<FakeRequest[]> {
    return (await this.call<{ requests: FakeRequest[] }>('GET', `requests${route ? `?route=${route}` : ''}`)).requests;
  }
  async jobs(): Promise<FakeJob[]> {
    return (await this.call<{ jobs: FakeJob[] }>('GET', 'jobs')).jobs;
  }
  stop(): Promise<void> {
    return stopTool(this.child);
  }
}

export interface FakeTranslateRequest {
  api: string;
  path: string;
  body: Record<string, unknown> | null;
  status: number;
}

/** tools/fake-translate (LibreTranslate and Google v2) as a child process. */
export class FakeTranslate {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly output: () => string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<FakeTranslate> {
    const { url, child, output } = await startTool('tools/fake-translate/src/main.ts', env, 'listening on');
    return new FakeTranslate(url, child, output);
  }

  async reset(settings: Record<string, unknown> = {}): Promise<void> {
    await control(this.url, 'POST', 'reset', {}, this.output);
    if (Object.keys(settings).length) await control(this.url, 'POST', 'config', settings, this.output);
  }
  async requests(api?: string): Promise<FakeTranslateRequest[]> {
    return (await control<{ requests: FakeTranslateRequest[] }>(this.url, 'GET', `requests${api ? `?api=${api}` : ''}`, undefined, this.output)).requests;
  }
  stop(): Promise<void> {
    return stopTool(this.child);
  }
}
