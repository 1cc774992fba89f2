import { readWavInfo } from '@texttune/audio';
import { planTrack, renderTrack, sha256Hex } from './wav-render';

describe('renderTrack', () => {
  const base = { prompt: 'calm lofi piano', seed: 42, durationSeconds: 2.5, sampleRate: 32000, channels: 1 as const };

  it('renders a 16-bit PCM WAV exactly as long as asked', () => {
    const { wav, sha256 } = renderTrack(base);
    const info = readWavInfo(wav);
    expect(info).toMatchObject({ format: 'pcm', channels: 1, sampleRate: 32000, bitsPerSample: 16, frames: 80000 });
    expect(info?.durationSeconds).toBe(2.5);
    expect(sha256).toBe(sha256Hex(wav));
  });

  it('is deterministic for the same prompt and seed', () => {
    expect(renderTrack(base).sha256).toBe(renderTrack(base).sha256);
  });

  it('changes with the prompt and with the seed', () => {
    const a = renderTrack(base).sha256;
    expect(renderTrack({ ...base, prompt: 'angry metal riff' }).sha256).not.toBe(a);
    expect(renderTrack({ ...base, seed: 43 }).sha256).not.toBe(a);
  });

  it('is not silent and stays within full scale', () => {
    const { wav } = renderTrack({ ...base, channels: 2, sampleRate: 44100 });
    let peak = 0;
    for (let pos = 44; pos < wav.length; pos += 2) peak = Math.max(peak, Math.abs(wav.readInt16LE(pos)));
    expect(peak).toBeGreaterThan(3000);
    expect(peak).toBeLessThanOrEqual(32767);
    expect(readWavInfo(wav)?.channels).toBe(2);
  });

  it('plans key, tempo and pattern from the hash', () => {
    const plan = planTrack(base);
    expect(plan.rootMidi).toBeGreaterThanOrEqual(45);
    expect(plan.rootMidi).toBeLessThan(57);
    expect(plan.bpm).toBeGreaterThanOrEqual(80);
    expect(plan.bpm).toBeLessThanOrEqual(140);
    expect(plan.frames).toBe(80000);
  });
});
