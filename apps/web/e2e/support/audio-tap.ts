import type { Page } from 'playwright-core';

/**
 * What the page sounds like, recorded inside Chromium: an init script that listens to
 * every AudioContext the page makes (each node connected to a context's destination is
 * also connected to an AudioWorklet that records it), and routes each `<audio>` element
 * into a context of its own when it first plays, so that an element playing by itself is
 * heard too. The recordings are per context, so the player's Web Audio loop and its
 * element are told apart.
 */
export async function installAudioTap(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __tap: { recording: boolean; contexts: { rate: number; chunks: Float32Array[] }[] } };
    w.__tap = { recording: false, contexts: [] };
    const worklet = URL.createObjectURL(
      new Blob(
        [
          `registerProcessor('tt-tap', class extends AudioWorkletProcessor {
            process(inputs) { const ch = inputs[0] && inputs[0][0]; if (ch) this.port.postMessage(ch.slice()); return true; }
          });`,
        ],
        { type: 'text/javascript' },
      ),
    );
    const connect = AudioNode.prototype.connect as (this: AudioNode, target: AudioNode | AudioParam, ...rest: number[]) => AudioNode;
    const taps = new Map<BaseAudioContext, Promise<AudioNode>>();
    const tapOf = (context: BaseAudioContext) => {
      let tap = taps.get(context);
      if (!tap) {
        const record = { rate: context.sampleRate, chunks: [] as Float32Array[] };
        w.__tap.contexts.push(record);
        tap = context.audioWorklet.addModule(worklet).then(() => {
          const node = new AudioWorkletNode(context, 'tt-tap', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
          node.port.onmessage = (e: MessageEvent<Float32Array>) => w.__tap.recording && record.chunks.push(e.data);
          return node;
        });
        taps.set(context, tap);
      }
      return tap;
    };
    AudioNode.prototype.connect = function (this: AudioNode, target: AudioNode | AudioParam, ...rest: number[]) {
      const result = connect.call(this, target, ...rest);
      if (target instanceof AudioDestinationNode) void tapOf(this.context).then((tap) => connect.call(this, tap));
      return result;
    } as typeof AudioNode.prototype.connect;
    const play = HTMLMediaElement.prototype.play;
    const routed = new WeakSet<HTMLMediaElement>();
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      if (!routed.has(this)) {
        routed.add(this);
        const context = new AudioContext();
        context.createMediaElementSource(this).connect(context.destination);
      }
      return play.call(this);
    };
  });
}

/** Starts recording afresh. */
export const startRecording = (page: Page) =>
  page.evaluate(() => {
    const tap = (window as unknown as { __tap: { recording: boolean; contexts: { chunks: Float32Array[] }[] } }).__tap;
    for (const c of tap.contexts) c.chunks = [];
    tap.recording = true;
  });

/** What a context heard: seconds from its first sound on, and the runs of digital silence inside that. */
export interface Heard {
  rate: number;
  /** seconds from the first sample above −40 dBFS to the end of the recording */
  seconds: number;
  /** the loudest sample */
  peak: number;
  /** runs of more than 64 samples (about 1.5 ms) of exact silence between sounds (one lasting to the end is the sound having stopped) */
  gaps: number;
  /** the longest such run, in milliseconds */
  longestGapMs: number;
}

/** Stops recording; what each context heard, loudest first. */
export const stopRecording = (page: Page): Promise<Heard[]> =>
  page.evaluate(() => {
    const tap = (window as unknown as { __tap: { recording: boolean; contexts: { rate: number; chunks: Float32Array[] }[] } }).__tap;
    tap.recording = false;
    return tap.contexts
      .map(({ rate, chunks }) => {
        const all = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        const start = all.findIndex((x) => Math.abs(x) > 0.01);
        let peak = 0;
        let run = 0;
        let gaps = 0;
        let longest = 0;
        if (start >= 0) {
          for (let i = start; i < all.length; i++) {
            const x = Math.abs(all[i]);
            peak = Math.max(peak, x);
            if (x === 0) run++;
            else {
              if (run > 64) gaps++;
              longest = Math.max(longest, run);
              run = 0;
            }
          }
        }
        return { rate, seconds: start >= 0 ? (all.length - start) / rate : 0, peak, gaps, longestGapMs: (longest / rate) * 1000 };
      })
      .sort((a, b) => b.peak - a.peak);
  });
