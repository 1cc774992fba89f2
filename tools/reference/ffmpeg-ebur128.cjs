// ffmpeg's EBU R128 meter (`ffmpeg -af ebur128=peak=true`), the reference our loudness,
// loudness-range and true-peak meters and the master are checked against (Debian's ffmpeg;
// CI installs it). The filter's per-frame metadata carries the integrated loudness, the
// loudness range and the true peak with more digits than its printed summary (0.1 dB): the
// values after the last frame are the file's. Typed for TypeScript callers in
// ffmpeg-ebur128.d.cts.
const { execFile, execFileSync, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const FFMPEG_MISSING = 'ffmpeg is missing: the audio reference tests measure with ffmpeg -af ebur128=peak=true (apt-get install ffmpeg)';

/** Throws a clear error when ffmpeg is not installed. */
function requireFfmpeg() {
  const probe = spawnSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(FFMPEG_MISSING);
}

function ffmpegArgs(file, metadata) {
  // ametadata's file= option is a filter argument: its path is escaped for the filtergraph.
  const escaped = metadata.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\:');
  return ['-hide_banner', '-nostats', '-nostdin', '-i', file, '-af', `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${escaped}`, '-f', 'null', '-'];
}

/** ffmpeg prints an unbounded level as `-inf`. */
function parseLevel(text) {
  const trimmed = text.trim();
  if (trimmed === '-inf') return -Infinity;
  if (trimmed === 'inf') return Infinity;
  return Number(trimmed);
}

/** The values after the last frame in ffmpeg's metadata output. */
function parseMetadata(text, file) {
  const last = (key) => {
    const matches = [...text.matchAll(new RegExp(`^lavfi\\.r128\\.${key.replace(/\./g, '\\.')}=(.*)$`, 'gm'))];
    if (matches.length === 0) throw new Error(`ffmpeg reported no lavfi.r128.${key} for ${file}`);
    return parseLevel(matches[matches.length - 1][1]);
  };
  const peak = last('true_peak');
  return { integratedLufs: last('I'), loudnessRangeLu: last('LRA'), truePeakDbtp: peak > 0 ? 20 * Math.log10(peak) : -Infinity };
}

/**
 * A temporary directory holding the metadata file and, when `input` is bytes, the audio
 * (named without an extension: ffmpeg recognises the format from the content).
 */
function prepare(input) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ebur128-'));
  const metadata = path.join(dir, 'metadata.txt');
  if (typeof input === 'string') return { dir, metadata, file: input, name: input };
  const file = path.join(dir, 'audio');
  writeFileSync(file, input);
  return { dir, metadata, file, name: `${input.length} bytes of audio` };
}

function failure(error, stderr, name) {
  if (error && error.code === 'ENOENT') return new Error(FFMPEG_MISSING);
  const tail = String(stderr ?? '').trim().split('\n').slice(-5).join('\n');
  return new Error(`ffmpeg failed on ${name}: ${tail || error.message}`);
}

/**
 * Measures a file ffmpeg reads (WAV, MP3, FLAC, Ogg, …), given by its path or as its bytes:
 * resolves to { integratedLufs, loudnessRangeLu, truePeakDbtp } as ffmpeg's ebur128 filter
 * reads them (the true peak is the largest over the channels).
 */
function measureEbur128(input) {
  const { dir, metadata, file, name } = prepare(input);
  return new Promise((resolve, reject) => {
    execFile('ffmpeg', ffmpegArgs(file, metadata), { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      try {
        if (error) throw failure(error, stderr, name);
        resolve(parseMetadata(readFileSync(metadata, 'utf8'), name));
      } catch (failed) {
        reject(failed);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** measureEbur128, waiting for ffmpeg. */
function measureEbur128Sync(input) {
  const { dir, metadata, file, name } = prepare(input);
  try {
    try {
      execFileSync('ffmpeg', ffmpegArgs(file, metadata), { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      throw failure(error, error.stderr, name);
    }
    return parseMetadata(readFileSync(metadata, 'utf8'), name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { measureEbur128, measureEbur128Sync, requireFfmpeg };
