import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/common/free-port';

const ROOT = path.resolve(__dirname, '../../../..');
const ENTRY = 'apps/api/test/support/app-process.ts';

export interface AppProcess {
  child: ChildProcess;
  role: string;
  port?: number;
  output(): string;
  /** SIGTERM and wait for the exit */
  stop(): Promise<void>;
  /** SIGKILL, as a crash */
  kill(): Promise<void>;
}

/** Starts a TextTune process (TEXTTUNE_ROLE in env) from the sources and waits for READY. */
export async function startAppProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<AppProcess> {
  const role = env.TEXTTUNE_ROLE ?? 'all';
  const port = role === 'worker' ? undefined : await freePort();
  const child = spawn(process.execPath, ['-r', './tools/build/register.cjs', ENTRY], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', ...env, ...(port ? { PORT: String(port) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} process not ready in time:\n${output}`)), timeoutMs);
    const check = () => {
      if (output.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} process exited (${code}) before ready:\n${output}`));
    });
  });
  return {
    child,
    role,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
