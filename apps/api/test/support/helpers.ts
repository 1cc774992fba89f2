import type { GenerationResponse, GenerationStatus } from '@texttune/contracts';
import http from 'node:http';
import type { TestApp } from './test-app';

/** Signs in a new account by quick email login; returns its bearer header. */
export async function signIn(t: TestApp, email = `u${Math.random().toString(36).slice(2)}@example.com`): Promise<{ Authorization: string }> {
  const res = await t.http().post('/v1/auth/login').send({ email }).expect(200);
  return { Authorization: `Bearer ${res.body.accessToken}` };
}

/** Polls a job until it reaches one of `statuses` (or the deadline passes). */
export async function waitForStatus(t: TestApp, auth: { Authorization: string }, id: string, statuses: GenerationStatus[], timeoutMs = 15000): Promise<GenerationResponse> {
  const deadline = Date.now() + timeoutMs;
  let job: GenerationResponse | undefined;
  while (Date.now() < deadline) {
    job = (await t.http().get(`/v1/generations/${id}`).set(auth).expect(200)).body as GenerationResponse;
    if (statuses.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} is still ${job?.status} after ${timeoutMs} ms`);
}

export interface SseEvent {
  event: string;
  id?: string;
  data: GenerationResponse;
}

/** Reads a whole SSE stream (until the server ends it) from a listening server. */
export function readSse(baseUrl: string, path: string, headers: Record<string, string>): Promise<{ status: number; contentType?: string; events: SseEvent[] }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      const events: SseEvent[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let index: number;
        while ((index = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, index);
          buffer = buffer.slice(index + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
          }
          if (fields.data) events.push({ event: fields.event ?? 'message', id: fields.id, data: JSON.parse(fields.data) as GenerationResponse });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], events }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Polls `check` every `everyMs` until it holds, failing after `ms` (what another process or connection does). */
export async function eventually(check: () => Promise<boolean>, ms = 3000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
