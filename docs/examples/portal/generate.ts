/**
 * Calling TextTune from a portal's back end: submit a generation, wait for it over
 * Server-Sent Events, download the audio. Types come from TextTune's OpenAPI document
 * (`npm run openapi:types` writes ./openapi.d.ts), so a changed API shows up as a
 * type error here rather than as a failure in production.
 *
 *   TEXTTUNE_URL=http://localhost:4000 TEXTTUNE_TOKEN=ttk_… node generate.js "calm lo-fi piano, 80 bpm" out.wav
 *
 * TEXTTUNE_TOKEN is a personal API token (POST /v1/tokens, or Settings in the web app).
 * Without one, TEXTTUNE_EMAIL (and TEXTTUNE_PASSWORD) sign in instead.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { components, paths } from './openapi';

type CreateGeneration = paths['/v1/generations']['post']['requestBody']['content']['application/json'];
type Generation = components['schemas']['GenerationDto'];
type SignIn = paths['/v1/auth/login']['post']['requestBody']['content']['application/json'];
type SignedIn = paths['/v1/auth/login']['post']['responses'][200]['content']['application/json'];
type ApiErrorBody = components['schemas']['ErrorResponseDto'];

const FINISHED: Generation['status'][] = ['succeeded', 'failed', 'canceled'];
const baseUrl = (process.env.TEXTTUNE_URL ?? 'http://localhost:4000').replace(/\/+$/, '');

/** An error answer of the API: a stable `code` to branch on and a sentence for people. */
class TextTuneError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${baseUrl}${path}`, init);
  if (res.ok) return res;
  const body = (await res.json().catch(() => undefined)) as ApiErrorBody | undefined;
  throw new TextTuneError(res.status, body?.code ?? 'http_error', body?.message ?? res.statusText);
}

async function bearerToken(): Promise<string> {
  if (process.env.TEXTTUNE_TOKEN) return process.env.TEXTTUNE_TOKEN;
  const email = process.env.TEXTTUNE_EMAIL;
  if (!email) throw new Error('Set TEXTTUNE_TOKEN to an API token (ttk_…), or TEXTTUNE_EMAIL (and TEXTTUNE_PASSWORD) to sign in.');
  const body: SignIn = process.env.TEXTTUNE_PASSWORD ? { email, password: process.env.TEXTTUNE_PASSWORD } : { email };
  const res = await request('/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return ((await res.json()) as SignedIn).accessToken;
}

/**
 * Queues the generation. The Idempotency-Key makes a retried submit (after a timeout or a
 * dropped connection) safe to send again: keep the key with the portal's own request.
 */
async function submit(token: string, body: CreateGeneration, idempotencyKey: string): Promise<Generation> {
  const res = await request('/v1/generations', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Generation;
}

/** Follows GET /v1/generations/:id/events until the `final` event; null if the stream ends without it. */
async function waitWithEvents(token: string, id: string, onUpdate: (job: Generation) => void): Promise<Generation | null> {
  const res = await request(`/v1/generations/${encodeURIComponent(id)}/events`, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } });
  if (!res.body) return null;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return null;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
      if (!data) continue;
      const job = JSON.parse(data) as Generation;
      onUpdate(job);
      if (event === 'final') {
        await reader.cancel();
        return job;
      }
    }
  }
}

/** Polls GET /v1/generations/:id: for when a proxy cuts event streams short. */
async function waitByPolling(token: string, id: string, onUpdate: (job: Generation) => void): Promise<Generation> {
  for (;;) {
    const job = (await (await request(`/v1/generations/${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Generation;
    onUpdate(job);
    if (FINISHED.includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main(): Promise<void> {
  const [prompt = 'calm lo-fi piano, 80 bpm', out = 'texttune.wav'] = process.argv.slice(2);
  const token = await bearerToken();
  const queued = await submit(token, { prompt, duration: Number(process.env.TEXTTUNE_DURATION ?? 10) }, randomUUID());
  console.error(`queued ${queued.job_id} (position ${queued.position ?? '-'})`);

  const report = (job: Generation) => console.error(`${job.status} ${Math.round(job.progress * 100)}%`);
  const streamed = await waitWithEvents(token, queued.job_id, report);
  const job = streamed ?? (await waitByPolling(token, queued.job_id, report));
  console.error(`finished, followed by ${streamed ? 'events' : 'polling'}`);
  if (job.status !== 'succeeded' || !job.track_id) throw new Error(`The generation ${job.status}: ${job.error?.code ?? ''} ${job.error?.message ?? ''}`);

  const audio = await request(`/v1/download/${encodeURIComponent(job.track_id)}?format=wav`, { headers: { Authorization: `Bearer ${token}` } });
  await writeFile(out, Buffer.from(await audio.arrayBuffer()));
  console.log(JSON.stringify({ job_id: job.job_id, track_id: job.track_id, file: out }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
