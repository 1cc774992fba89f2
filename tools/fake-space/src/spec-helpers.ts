/** Helpers for the specs: drive a submit iterator to the end and summarise what the client saw. */
import type { Client } from '@gradio/client';

type Submission = ReturnType<Client['submit']>;
type Event = Submission extends AsyncIterable<infer E> ? E : never;
export type StatusEvent = Extract<Event, { type: 'status' }>;
export type DataEvent = Extract<Event, { type: 'data' }>;

export interface Outcome {
  statuses: StatusEvent[];
  data: DataEvent[];
  final: StatusEvent | undefined;
}

/** Reads every event of a submission (guarded by a timeout so a hung protocol fails the test). */
export async function drain(job: Submission, timeoutMs = 8000): Promise<Outcome> {
  const statuses: StatusEvent[] = [];
  const data: DataEvent[] = [];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void job.return();
  }, timeoutMs);
  try {
    for await (const event of job) {
      if (event.type === 'status') statuses.push(event);
      else if (event.type === 'data') data.push(event);
    }
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) throw new Error(`submission did not finish within ${timeoutMs} ms; statuses: ${statuses.map((s) => s.stage).join(',')}`);
  return { statuses, data, final: statuses[statuses.length - 1] };
}

export async function fetchBytes(url: string, init?: RequestInit): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url, init);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** The client logs expected failures with console.error/warn; keep test output readable. */
export function quietConsole(): () => void {
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  return () => {
    error.mockRestore();
    warn.mockRestore();
  };
}

export interface FileDataLike {
  path: string;
  url: string;
  size: number | null;
  orig_name: string;
  mime_type: string | null;
  meta: { _type: string };
}

export function asFileData(value: unknown): FileDataLike {
  if (typeof value !== 'object' || value === null || !('path' in value) || !('url' in value)) {
    throw new Error(`not a FileData: ${JSON.stringify(value)}`);
  }
  return value as FileDataLike;
}
