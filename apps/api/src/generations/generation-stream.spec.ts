import type { MessageEvent } from '@nestjs/common';
import type { GenerationResponse, GenerationStatus } from '@texttune/contracts';
import type { AuthUser } from '../auth/auth-user';
import type { GenerationChange, GenerationEvents } from './generation-events';
import { GenerationStream } from './generation-stream';
import type { GenerationsService } from './generations.service';

const USER = { id: 'u1' } as AuthUser;
const job = (status: GenerationStatus, extra: Partial<GenerationResponse> = {}) => ({ job_id: 'j1', status, progress: 0, position: null, eta_seconds: null, ...extra }) as GenerationResponse;

/** The stream over a job whose current state `current()` gives, with the events published to `publish`. */
function setUp(current: () => GenerationResponse) {
  let listener: ((change: GenerationChange) => void) | undefined;
  const generations = { findOwned: jest.fn(async () => ({})), get: jest.fn(async () => current()) };
  const events = { subscribe: jest.fn(async (_id: string, l: (change: GenerationChange) => void) => ((listener = l), () => (listener = undefined))) };
  const stream = new GenerationStream(generations as unknown as GenerationsService, events as unknown as GenerationEvents);
  const publish = (change: GenerationChange) => listener?.(change);
  return { stream, publish, generations, subscribed: () => listener !== undefined };
}

/** Opens the stream and collects its events. */
async function collect(stream: GenerationStream) {
  const received: MessageEvent[] = [];
  let completed = false;
  const observable = await stream.open(USER, 'j1');
  const subscription = observable.subscribe({ next: (event) => received.push(event), complete: () => (completed = true) });
  return { received, done: () => completed, types: () => received.map((e) => e.type), unsubscribe: () => subscription.unsubscribe() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GenerationStream', () => {
  it('starts with the current state, forwards progress, and ends with final once the job finishes', async () => {
    let state = job('running', { progress: 0.1 });
    const { stream, publish, subscribed } = setUp(() => state);
    const out = await collect(stream);
    while (!subscribed() || out.received.length === 0) await tick();
    publish({ type: 'progress', job: job('running', { progress: 0.5 }) });
    publish({ type: 'progress', job: job('running', { progress: 0.5 }) }); // no change: nothing sent
    state = job('succeeded', { progress: 1 });
    publish({ type: 'status', job: state });
    expect(out.types()).toEqual(['status', 'progress', 'status', 'final']);
    expect(out.received.map((e) => (e.data as GenerationResponse).progress)).toEqual([0.1, 0.5, 1, 1]);
    expect(out.done()).toBe(true);
    expect(new Set(out.received.map((e) => e.id)).size).toBe(4);
  });

  it('asks for a queued job’s position (events carry none) and sends it when it moves', async () => {
    let state = job('queued', { position: 3 });
    const { stream, publish, subscribed, generations } = setUp(() => state);
    const out = await collect(stream);
    while (!subscribed() || out.received.length === 0) await tick();
    state = job('queued', { position: 2 });
    publish({ type: 'status', job: job('queued') });
    while (out.received.length < 2) await tick();
    expect(out.types()).toEqual(['status', 'position']);
    expect((out.received[1].data as GenerationResponse).position).toBe(2);
    expect(generations.get).toHaveBeenCalledTimes(2);
    out.unsubscribe();
  });

  it('ends every open stream when the server shuts down', async () => {
    const { stream, subscribed } = setUp(() => job('running'));
    const a = await collect(stream);
    const b = await collect(stream);
    while (!subscribed()) await tick();
    stream.beforeApplicationShutdown();
    expect([a.done(), b.done()]).toEqual([true, true]);
  });
});
