/**
 * Whole-signal spectral statistics: power-weighted spectral centroid and the share
 * of energy in the low (< 150 Hz) and high (> 5 kHz) bands, plus RMS and peak.
 */
import { RealFft } from './fft';
import { mixToMono } from './signal';
import { samplePeak } from './true-peak';

export interface SpectralStats {
  /** power-weighted mean frequency over the whole signal, Hz */
  centroidHz: number;
  /** fraction of power below 150 Hz */
  lowBandRatio: number;
  /** fraction of power above 5 kHz */
  highBandRatio: number;
  /** RMS of the mono downmix, linear */
  rms: number;
  /** largest absolute sample over all channels, linear */
  peak: number;
}

export function spectralStats(channels: readonly Float32Array[], sampleRate: number): SpectralStats {
  const mono = mixToMono(channels);
  const fft = new RealFft(2048);
  const bins = fft.size / 2 + 1;
  const spectrum = new Float32Array(bins);
  let weighted = 0;
  let total = 0;
  let low = 0;
  let high = 0;
  for (let start = 0; start < mono.length; start += fft.size) {
    fft.powerSpectrum(mono, start, spectrum);
    for (let k = 1; k < bins; k++) {
      const hz = (k * sampleRate) / fft.size;
      const p = spectrum[k];
      weighted += hz * p;
      total += p;
      if (hz < 150) low += p;
      else if (hz > 5000) high += p;
    }
  }
  let squares = 0;
  for (let i = 0; i < mono.length; i++) squares += mono[i] * mono[i];
  return {
    centroidHz: total > 0 ? weighted / total : 0,
    lowBandRatio: total > 0 ? low / total : 0,
    highBandRatio: total > 0 ? high / total : 0,
    rms: mono.length ? Math.sqrt(squares / mono.length) : 0,
    peak: samplePeak(channels),
  };
}
