import { MAX_DECODED_LOOP_SECONDS, SeamlessLoop } from './seamless-loop';

/** Web Audio as far as SeamlessLoop uses it, with a clock the test moves. */
class FakeSource {
  buffer: { duration: number } | null = null;
  loop = false;
  started: number | null = null;
  stopped = false;
  connect = jest.fn();
  disconnect = jest.fn();
  start(_when: number, offset: number) {
    this.started = offset;
  }
  stop() {
    this.stopped = true;
  }
}
class FakeContext {
  static last: FakeContext;
  currentTime = 0;
  state = 'running';
  destination = {};
  sources: FakeSource[] = [];
  gain = { gain: { value: 1, setTargetAtTime: jest.fn() }, connect: jest.fn() };
  decodeAudioData = jest.fn(async () => ({ duration: 4 }));
  constructor() {
    FakeContext.last = this;
  }
  createGain() {
    return this.gain;
  }
  createBufferSource() {
    const source = new FakeSource();
    this.sources.push(source);
    return source;
  }
  resume = jest.fn(async () => undefined);
}

describe('SeamlessLoop', () => {
  let media: HTMLAudioElement;
  let paused: boolean;
  let fetch: jest.Mock;
  let loop: SeamlessLoop;
  const flush = () => new Promise((resolve) => setTimeout(resolve));
  const fire = (type: string) => media.dispatchEvent(new Event(type));
  const playing = () => FakeContext.last.sources.filter((s) => !s.stopped);

  beforeEach(() => {
    media = document.createElement('audio');
    paused = true;
    Object.defineProperty(media, 'paused', { get: () => paused });
    fetch = jest.fn(async () => ({ ok: true, arrayBuffer: async () => new ArrayBuffer(8) }));
    loop = new SeamlessLoop(media, { AudioContext: FakeContext, fetch } as unknown as Window & typeof globalThis);
  });

  it('decodes the loop once and plays it looping from where the element is', async () => {
    media.currentTime = 1.5;
    paused = false;
    loop.use('/v1/stream/l', 4);
    await flush();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(loop.active()).toBe(true);
    expect(playing()).toHaveLength(1);
    expect(playing()[0]).toMatchObject({ loop: true, started: 1.5 });
    loop.use(null);
    expect(loop.active()).toBe(false);
    expect(playing()).toHaveLength(0);
    loop.use('/v1/stream/l', 4);
    await flush();
    expect(fetch).toHaveBeenCalledTimes(1); // the decoded loop is kept
    expect(loop.active()).toBe(true);
  });

  it('stops with the element, starts again with it, and follows a seek but not its own wrap', async () => {
    loop.use('/v1/stream/l', 4);
    await flush();
    expect(playing()).toHaveLength(0); // the element is paused
    paused = false;
    fire('playing');
    expect(playing()).toHaveLength(1);
    paused = true;
    fire('pause');
    expect(playing()).toHaveLength(0);

    paused = false;
    media.currentTime = 0;
    fire('playing');
    const first = playing()[0];
    // The element wraps around by itself 3.99 s later: a seek close to where the sound is.
    FakeContext.last.currentTime = 3.99;
    media.currentTime = 0.02;
    fire('seeked');
    expect(playing()).toEqual([first]);
    // The listener seeks to 2.5 s: the sound moves there.
    media.currentTime = 2.5;
    fire('seeked');
    expect(playing()).toHaveLength(1);
    expect(playing()[0]).not.toBe(first);
    expect(playing()[0].started).toBe(2.5);
  });

  it('moves a lagging element back in step with the sound', async () => {
    paused = false;
    loop.use('/v1/stream/l', 4);
    await flush();
    FakeContext.last.currentTime = 9; // two rounds and 1 s
    media.currentTime = 0.6; // its gaps made it lag 0.4 s
    fire('timeupdate');
    expect(media.currentTime).toBeCloseTo(1, 6);
    media.currentTime = 1.1; // within the tolerance: left alone
    fire('timeupdate');
    expect(media.currentTime).toBeCloseTo(1.1, 6);
  });

  it('sets its level (the listener’s volume times the track’s gain, 0 when muted)', async () => {
    loop.use('/v1/stream/l', 4);
    await flush();
    loop.setLevel(0);
    expect(FakeContext.last.gain.gain.setTargetAtTime).toHaveBeenLastCalledWith(0, 0, expect.any(Number));
  });

  it('leaves the element to repeat by itself when the loop cannot be decoded or is too long', async () => {
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch')); // e.g. a redirect to storage without CORS
    loop.use('/v1/stream/far', 4);
    await flush();
    expect(loop.active()).toBe(false);
    loop.use('/v1/stream/long', MAX_DECODED_LOOP_SECONDS + 1);
    await flush();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(loop.active()).toBe(false);
    const bare = new SeamlessLoop(media, { fetch } as unknown as Window & typeof globalThis); // no Web Audio
    bare.use('/v1/stream/l', 4);
    await flush();
    expect(bare.active()).toBe(false);
  });
});
