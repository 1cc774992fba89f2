import { WAVETABLE_SIZE, WavetableBank, type Waveform } from './dsp';

const WAVEFORMS: Waveform[] = ['saw', 'square', 'pulse25', 'pulse12', 'triangle', 'soft-saw'];

/** The series summed harmonic by harmonic, straight from its definition, normalised to peak 1. */
function directTable(amplitude: (n: number) => number, count: number): Float64Array {
  const sum = new Float64Array(WAVETABLE_SIZE);
  for (let n = 1; n <= count; n++) {
    const a = amplitude(n);
    for (let i = 0; i < WAVETABLE_SIZE; i++) sum[i] += a * Math.sin((2 * Math.PI * n * i) / WAVETABLE_SIZE);
  }
  const peak = Math.max(...sum.map(Math.abs));
  return sum.map((v) => v / peak);
}

const AMPLITUDES: Record<Waveform, (n: number) => number> = {
  saw: (n) => 1 / n,
  square: (n) => (n % 2 === 1 ? 1 / n : 0),
  pulse25: (n) => Math.sin(n * Math.PI * 0.25) / n,
  pulse12: (n) => Math.sin(n * Math.PI * 0.125) / n,
  triangle: (n) => (n % 2 === 1 ? (((n - 1) / 2) % 2 === 0 ? 1 / (n * n) : -1 / (n * n)) : 0),
  'soft-saw': (n) => 1 / (n * Math.sqrt(1 + n / 6)),
};

describe('WavetableBank', () => {
  it.each(WAVEFORMS)('%s: every octave table equals the harmonic series summed directly, band-limited to the octave top', (waveform) => {
    for (const sampleRate of [44100, 22050, 16000]) {
      const bank = WavetableBank.get(waveform, sampleRate);
      for (const hz of [25, 50, 110, 440, 1000, 3000, 9000]) {
        const table = bank.tableFor(hz);
        // the harmonics the table for this note's octave holds (dsp.ts: 0.45 × rate over the octave top, ≤ 240)
        const octaveTop = 20 * Math.pow(2, Math.min(9, Math.floor(Math.log2(hz / 20))) + 1);
        const count = Math.max(1, Math.min(240, Math.floor((sampleRate * 0.45) / octaveTop)));
        const expected = directTable(AMPLITUDES[waveform], count);
        let worst = 0;
        for (let i = 0; i < WAVETABLE_SIZE; i++) worst = Math.max(worst, Math.abs(table[i] - expected[i]));
        expect({ sampleRate, hz, worst: worst < 1e-6 ? 'within 1e-6' : worst }).toEqual({ sampleRate, hz, worst: 'within 1e-6' });
        expect(table[WAVETABLE_SIZE]).toBe(table[0]);
      }
    }
  });
});
