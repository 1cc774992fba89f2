/**
 * Radix-2 FFT for real frames, with the bit-reversal and twiddle tables computed
 * once per size. Only magnitude/power spectra are exposed: that is all the
 * analysers need.
 */
export class RealFft {
  readonly size: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;
  /** Hann window of `size` points, applied by `powerSpectrum`. */
  readonly window: Float32Array;

  constructor(size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two, got ${size}`);
    this.size = size;
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let i = 0; i < size / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size);
      this.sin[i] = -Math.sin((2 * Math.PI * i) / size);
    }
    const bits = Math.log2(size);
    this.reversed = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
    this.window = new Float32Array(size);
    for (let i = 0; i < size; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  }

  /**
   * Power spectrum |X[k]|² (k = 0..size/2) of the Hann-windowed frame
   * `signal[start .. start+size)`; samples past the end read as zero.
   */
  powerSpectrum(signal: Float32Array, start: number, out: Float32Array): Float32Array {
    const { size, re, im, reversed, window } = this;
    for (let i = 0; i < size; i++) {
      const j = start + i;
      re[reversed[i]] = j < signal.length ? signal[j] * window[i] : 0;
      im[i] = 0;
    }
    this.transform();
    for (let k = 0; k <= size / 2; k++) out[k] = re[k] * re[k] + im[k] * im[k];
    return out;
  }

  /**
   * One period of the sine series Σ amplitudes[n]·sin(2π·n·i/size), i = 0..size−1, into
   * `out`: the negated imaginary part of the DFT of the amplitudes (amplitudes[0] is
   * ignored; harmonics past size/2 would alias and are not allowed).
   */
  sineSeries(amplitudes: ArrayLike<number>, out: Float64Array): Float64Array {
    const { size, re, im, reversed } = this;
    if (amplitudes.length > size / 2 + 1) throw new RangeError(`a ${size}-point sine series holds harmonics up to ${size / 2}, got ${amplitudes.length - 1}`);
    for (let i = 0; i < size; i++) {
      const n = reversed[i];
      re[i] = n > 0 && n < amplitudes.length ? amplitudes[n] : 0;
      im[i] = 0;
    }
    this.transform();
    for (let i = 0; i < size; i++) out[i] = -im[i];
    return out;
  }

  /** In-place radix-2 DFT of re + i·im, whose input is in bit-reversed order. */
  private transform(): void {
    const { size, re, im } = this;
    for (let half = 1; half < size; half <<= 1) {
      const step = size / (half * 2);
      for (let blockStart = 0; blockStart < size; blockStart += half * 2) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step];
          const wi = this.sin[k * step];
          const a = blockStart + k;
          const b = a + half;
          const tr = re[b] * wr - im[b] * wi;
          const ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
  }
}
