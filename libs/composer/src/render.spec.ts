import { decodeWavPcm16, integratedLoudness, readWavInfo, samplePeak, truePeakDbtp } from '@texttune/audio';
import { renderMusic, RenderRequest, SUPPORTED_SAMPLE_RATES } from './render';

const base: RenderRequest = { prompt: 'lo-fi hip hop with piano', durationSeconds: 3, sampleRate: 16000, seed: 1, quality: 'draft' };

describe('renderMusic', () => {
  it.each(SUPPORTED_SAMPLE_RATES.map((rate) => [rate]))('writes exactly round(duration × rate) stereo frames at %i Hz', async (sampleRate) => {
    const durationSeconds = 1.2345;
    const result = await renderMusic({ ...base, durationSeconds, sampleRate });
    const frames = Math.round(durationSeconds * sampleRate);
    expect(result.frames).toBe(frames);
    expect(readWavInfo(result.wav)).toMatchObject({ format: 'pcm', channels: 2, sampleRate, bitsPerSample: 16, frames });
    expect(result.wav.length).toBe(44 + frames * 4);
  });

  it('is byte-identical for the same request and clearly different for another seed', async () => {
    const a = await renderMusic(base);
    const b = await renderMusic(base);
    expect(a.wav.equals(b.wav)).toBe(true);
    const other = await renderMusic({ ...base, seed: 2 });
    const x = decodeWavPcm16(a.wav).channels[0];
    const y = decodeWavPcm16(other.wav).channels[0];
    let diff = 0;
    let energy = 0;
    for (let i = 0; i < x.length; i++) {
      diff += (x[i] - y[i]) ** 2;
      energy += x[i] ** 2;
    }
    expect(diff / energy).toBeGreaterThan(0.5);
  });

  it('is byte-identical at 44.1 kHz too, where parts are synthesised at half rate', async () => {
    const request = { ...base, prompt: 'house with pad and piano chords', sampleRate: 44100, durationSeconds: 3, quality: 'standard' as const };
    const a = await renderMusic(request);
    const b = await renderMusic(request);
    expect(a.wav.equals(b.wav)).toBe(true);
  });

  it('masters to −14 LUFS with true peak ≤ −1 dBTP and never touches full scale', async () => {
    for (const prompt of ['rock with heavy drums', 'dreamy ambient', 'trap with 808']) {
      const result = await renderMusic({ ...base, prompt, durationSeconds: 8, sampleRate: 22050 });
      const { channels } = decodeWavPcm16(result.wav);
      const measured = integratedLoudness(channels, 22050);
      expect(Math.abs(measured - -14)).toBeLessThanOrEqual(1);
      expect(Math.abs(result.loudnessLufs - measured)).toBeLessThan(0.05);
      expect(truePeakDbtp(channels, 22050)).toBeLessThanOrEqual(-1);
      expect(samplePeak(channels)).toBeLessThan(0.95);
    }
  });

  it('ends cleanly: the last frames fade to silence', async () => {
    const { channels } = decodeWavPcm16((await renderMusic({ ...base, durationSeconds: 6 })).wav);
    for (const channel of channels) {
      expect(Math.abs(channel[channel.length - 1])).toBeLessThan(1e-3);
      const tail = channel.subarray(channel.length - 160);
      expect(samplePeak([tail])).toBeLessThan(0.01);
    }
  });

  it('reports monotonic progress, at most every ~2 %, ending at 1', async () => {
    const seen: number[] = [];
    await renderMusic({ ...base, durationSeconds: 6 }, { onProgress: (f) => seen.push(f) });
    expect(seen[seen.length - 1]).toBe(1);
    expect(seen.length).toBeLessThanOrEqual(52);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
  });

  it('stops promptly when aborted, rejecting with an AbortError', async () => {
    // A worker parses the SoundFont at boot and decodes its samples on its first job;
    // what is measured here is a render in a process that has rendered before.
    await renderMusic({ ...base, durationSeconds: 1, sampleRate: 48000, quality: 'high' });
    const controller = new AbortController();
    const started = Date.now();
    const pending = renderMusic({ ...base, durationSeconds: 120, sampleRate: 48000, quality: 'high' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1000);
    const aborted = new AbortController();
    aborted.abort();
    await expect(renderMusic(base, { signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects invalid requests', async () => {
    await expect(renderMusic({ ...base, sampleRate: 44000 })).rejects.toThrow(RangeError);
    await expect(renderMusic({ ...base, durationSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(renderMusic({ ...base, seed: Number.NaN })).rejects.toThrow(RangeError);
  });
});
