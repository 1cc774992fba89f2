// ffmpeg's EBU R128 meter (`ffmpeg -af ebur128=peak=true`), the reference our loudness and
// true-peak meters and the master are checked against (Debian's ffmpeg; CI installs it).
// The filter's per-frame metadata carries the integrated loudness and the true peak with more
// digits than its printed summary (0.1 dB): the values after the last frame are the file's.
const { execFile, execFileSync, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

/** Throws a clear error when ffmpeg is not installed. */
function requireFfmpeg() {
  const probe = spawnSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('ffmpeg is missing: the audio reference tests measure with ffmpeg -af ebur128=peak=true (apt-get install ffmpeg)');
  }
}

function ffmpegArgs(file, metadata) {
  // ametadata's file= option is a filter argument: its path is escaped for the filtergraph.
  const escaped = metadata.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\:');
  return ['-hide_banner', '-nostats', '-nostdin', '-i', file, '-af', `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${escaped}`, '-f', 'null', '-'];
}

/** The values after the last frame in ffmpeg's metadata output. */
function parseMetadata(text, file) {
  const last = (key) => {
    const matches = [...text.matchAll(new RegExp(`^lavfi\\.r128\\.${key}=(.*)$`, 'gm'))];
    if (matches.length === 0) throw new Error(`ffmpeg reported no lavfi.r128.${key} for ${file}`);
    return Number(matches[matches.length - 1][1]);
  };
  const peak = last('true_peak');
  return { integratedLufs: last('I'), truePeakDbtp: peak > 0 ? 20 * Math.log10(peak) : -Infinity };
}

/**
 * Measures a WAV file: resolves to { integratedLufs, truePeakDbtp } as ffmpeg's ebur128
 * filter reads them (the largest true peak over the channels).
 */
function measureEbur128(file) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ebur128-'));
  const metadata = path.join(dir, 'metadata.txt');
  return new Promise((resolve, reject) => {
    execFile('ffmpeg', ffmpegArgs(file, metadata), { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      try {
        if (error) throw new Error(`ffmpeg failed on ${file}: ${stderr.split('\n').slice(-5).join('\n')}`);
        resolve(parseMetadata(readFileSync(metadata, 'utf8'), file));
      } catch (failure) {
        reject(failure);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** measureEbur128, waiting for ffmpeg. */
function measureEbur128Sync(file) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ebur128-'));
  const metadata = path.join(dir, 'metadata.txt');
  try {
    execFileSync('ffmpeg', ffmpegArgs(file, metadata), { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    return parseMetadata(readFileSync(metadata, 'utf8'), file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { measureEbur128, measureEbur128Sync, requireFfmpeg };
