import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AudioProbe, PROBE_LIMITS, probeAudio, type AudioProbeResult } from './probe';
import { encodeWavPcm16 } from './wav';

/** Debian's ffmpeg encodes the files; its ffprobe is the reference our readings must agree with. */
const dir = mkdtempSync(path.join(tmpdir(), 'probe-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Reference {
  channels: number;
  sampleRate: number;
  duration: number;
  codec: string;
}

function encode(name: string, args: string[], { seconds = 2.345, rate = 44100, channels = 2 } = {}): { bytes: Buffer; ffprobe: Reference } {
  const file = path.join(dir, name);
  const source = channels === 1 ? `sine=f=440:d=${seconds}:r=${rate}` : `aevalsrc=0.3*sin(440*2*PI*t)|0.3*sin(660*2*PI*t)${channels > 2 ? '|0.1*sin(220*2*PI*t)'.repeat(channels - 2) : ''}:d=${seconds}:s=${rate}`;
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-ac', String(channels), ...args, file]);
  const probed = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,channels,sample_rate,duration', '-of', 'json', file]).toString()) as {
    streams: { codec_name: string; channels: number; sample_rate: string; duration: string }[];
  };
  const [stream] = probed.streams;
  return { bytes: readFileSync(file), ffprobe: { channels: stream.channels, sampleRate: Number(stream.sample_rate), duration: Number(stream.duration), codec: stream.codec_name } };
}

const reasonOf = (r: AudioProbeResult) => (r.ok ? `accepted as ${r.format}/${r.codec}, ${r.durationSeconds} s` : r.reason);

/** The same bytes fed in small pieces, as a download arrives. */
function probeInChunks(bytes: Uint8Array, size: number): AudioProbeResult {
  const probe = new AudioProbe();
  for (let i = 0; i < bytes.length; i += size) {
    const early = probe.push(bytes.subarray(i, i + size));
    if (early) return early;
  }
  return probe.end();
}

const files: [string, string[], { seconds?: number; rate?: number; channels?: number }, { format: string; codec: string; bits: number | null }][] = [
  ['u8-mono.wav', ['-c:a', 'pcm_u8'], { channels: 1, rate: 22050 }, { format: 'wav', codec: 'pcm', bits: 8 }],
  ['s16-stereo.wav', ['-c:a', 'pcm_s16le'], {}, { format: 'wav', codec: 'pcm', bits: 16 }],
  ['s16-mono-8k.wav', ['-c:a', 'pcm_s16le'], { channels: 1, rate: 8000, seconds: 0.3 }, { format: 'wav', codec: 'pcm', bits: 16 }],
  ['s24-stereo.wav', ['-c:a', 'pcm_s24le'], { rate: 48000 }, { format: 'wav', codec: 'pcm', bits: 24 }],
  ['s32-mono.wav', ['-c:a', 'pcm_s32le'], { channels: 1, rate: 96000 }, { format: 'wav', codec: 'pcm', bits: 32 }],
  ['f32-stereo.wav', ['-c:a', 'pcm_f32le'], {}, { format: 'wav', codec: 'float', bits: 32 }],
  ['f64-mono.wav', ['-c:a', 'pcm_f64le'], { channels: 1 }, { format: 'wav', codec: 'float', bits: 64 }],
  ['s16-6ch.wav', ['-c:a', 'pcm_s16le'], { channels: 6, rate: 48000 }, { format: 'wav', codec: 'pcm', bits: 16 }],
  ['mulaw.wav', ['-c:a', 'pcm_mulaw'], { channels: 1, rate: 8000 }, { format: 'wav', codec: 'mulaw', bits: 8 }],
  ['cbr-128k.mp3', ['-c:a', 'libmp3lame', '-b:a', '128k'], {}, { format: 'mp3', codec: 'mp3', bits: null }],
  ['vbr-q4.mp3', ['-c:a', 'libmp3lame', '-q:a', '4'], { seconds: 7.1 }, { format: 'mp3', codec: 'mp3', bits: null }],
  ['mpeg2-mono.mp3', ['-c:a', 'libmp3lame', '-b:a', '32k'], { channels: 1, rate: 22050 }, { format: 'mp3', codec: 'mp3', bits: null }],
  ['no-tags.mp3', ['-c:a', 'libmp3lame', '-b:a', '96k', '-write_xing', '0', '-id3v2_version', '0'], { rate: 48000 }, { format: 'mp3', codec: 'mp3', bits: null }],
  ['layer2.mp2', ['-c:a', 'mp2', '-b:a', '192k'], { rate: 48000 }, { format: 'mp3', codec: 'mp2', bits: null }],
  ['s16.flac', ['-c:a', 'flac', '-sample_fmt', 's16'], {}, { format: 'flac', codec: 'flac', bits: 16 }],
  ['s24-mono.flac', ['-c:a', 'flac', '-sample_fmt', 's32', '-bits_per_raw_sample', '24'], { channels: 1, rate: 96000, seconds: 1.5 }, { format: 'flac', codec: 'flac', bits: 24 }],
  ['vorbis.ogg', ['-c:a', 'libvorbis'], {}, { format: 'ogg', codec: 'vorbis', bits: null }],
  ['vorbis-mono.ogg', ['-c:a', 'libvorbis', '-q:a', '2'], { channels: 1, rate: 32000, seconds: 4.2 }, { format: 'ogg', codec: 'vorbis', bits: null }],
  ['opus.opus', ['-c:a', 'libopus', '-b:a', '96k'], { rate: 48000 }, { format: 'ogg', codec: 'opus', bits: null }],
  ['opus-mono.ogg', ['-c:a', 'libopus'], { channels: 1, rate: 16000, seconds: 0.7 }, { format: 'ogg', codec: 'opus', bits: null }],
];

const encoded = new Map(files.map(([name, args, options]) => [name, encode(name, args, options)]));
const bytesOf = (name: string) => (encoded.get(name) as { bytes: Buffer }).bytes;

describe('probeAudio agrees with ffprobe on files ffmpeg wrote', () => {
  it.each(files)('%s', (name, _args, _options, expected) => {
    const { bytes, ffprobe } = encoded.get(name) as { bytes: Buffer; ffprobe: Reference };
    const probed = probeAudio(bytes);
    if (!probed.ok) throw new Error(`refused ${name}: ${probed.reason}`);
    expect(probed).toMatchObject({ format: expected.format, codec: expected.codec, bitsPerSample: expected.bits, channels: ffprobe.channels, sampleRate: ffprobe.sampleRate });
    expect(Math.abs(probed.durationSeconds - ffprobe.duration)).toBeLessThan(0.05);
    // Arriving in pieces of any size changes nothing.
    expect(probeInChunks(bytes, 1000)).toEqual(probed);
    expect(probeInChunks(bytes, 7)).toEqual(probed);
  });
});

/** Our own canonical 16-bit WAV, to corrupt field by field. */
const tone = encodeWavPcm16([new Float32Array(4410).map((_, i) => 0.3 * Math.sin(i / 5)), new Float32Array(4410)], 44100);
function patched(source: Buffer, edit: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(source);
  edit(copy);
  return copy;
}
const riff = (...chunks: Buffer[]) => {
  const body = Buffer.concat([Buffer.from('WAVE'), ...chunks]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
};
const chunk = (id: string, body: Buffer, declared = body.length) => {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'ascii');
  head.writeUInt32LE(declared, 4);
  return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
};
const fmtOf = (wav: Buffer) => wav.subarray(20, 36);
const dataOf = (wav: Buffer) => wav.subarray(44);

/** An MP3 frame header (MPEG-1 layer III, 128 kb/s, 44.1 kHz, stereo). */
const MP3_HEADER = Buffer.from([0xff, 0xfb, 0x90, 0x64]);

describe('probeAudio counts the data present, not what a header claims', () => {
  it('a streaming WAV (data size 0xFFFFFFFF) lasts as long as its data', () => {
    const open = riff(chunk('fmt ', fmtOf(tone)), chunk('data', dataOf(tone).subarray(0, 1000), 0xffffffff));
    expect(probeAudio(open)).toMatchObject({ ok: true, format: 'wav', codec: 'pcm', channels: 2, sampleRate: 44100, frames: 250, durationSeconds: 250 / 44100 });
  });

  it('chunks after the data (LIST) and a trailing ID3v1 tag after MP3 frames are fine', () => {
    const listed = riff(chunk('fmt ', fmtOf(tone)), chunk('data', dataOf(tone)), chunk('LIST', Buffer.from('INFOISFT\x05\x00\x00\x00Lavf\x00', 'latin1')));
    expect(probeAudio(listed)).toMatchObject({ ok: true, frames: 4410 });
    const mp3 = bytesOf('no-tags.mp3');
    const tagged = Buffer.concat([mp3, Buffer.from('TAG'), Buffer.alloc(125)]);
    expect(probeAudio(tagged)).toEqual(probeAudio(mp3));
  });

  it('a run of frames shorter than the chain is enough when the file ends there', () => {
    const frame = Buffer.concat([MP3_HEADER, Buffer.alloc(413)]);
    expect(probeAudio(Buffer.concat([frame, frame]))).toMatchObject({ ok: true, codec: 'mp3', frames: 2304 });
    expect(reasonOf(probeAudio(Buffer.concat([frame, frame.subarray(0, 200)])))).toMatch(/ends inside frame 2 .*truncated/);
  });
});

describe('probeAudio refuses what is not the audio it claims, saying why', () => {
  const cases: [string, () => Buffer, RegExp][] = [
    ['HTML behind a 12-byte WAV header', () => Buffer.concat([Buffer.from('RIFF\x00\x10\x00\x00WAVE', 'latin1'), Buffer.from('<html><body>503 Service Unavailable</body></html>'.repeat(20))]), /"<htm" chunk at byte 12 declares/],
    ['a WAV with 0 channels', () => patched(tone, (b) => b.writeUInt16LE(0, 22)), /^The WAV file declares 0 channels\.$/],
    ['a WAV with 0 Hz', () => patched(tone, (b) => b.writeUInt32LE(0, 24)), /sample rate of 0 Hz/],
    ['a WAV with 0 bits per sample', () => patched(tone, (b) => b.writeUInt16LE(0, 34)), /declares 0 bits per sample/],
    ['a WAV with 12 channels', () => patched(tone, (b) => b.writeUInt16LE(12, 22)), /12 channels; at most 8/],
    ['a WAV with 17-bit samples', () => patched(tone, (b) => b.writeUInt16LE(17, 34)), /17-bit pcm samples/],
    ['a WAV in an encoding we do not decode (ADPCM)', () => patched(tone, (b) => b.writeUInt16LE(2, 20)), /format 0x0002/],
    ['a WAV whose block size disagrees with its layout', () => patched(tone, (b) => b.writeUInt16LE(3, 32)), /block size \(3 bytes\)/],
    ['a WAV whose fmt chunk claims 4 GB', () => patched(tone, (b) => b.writeUInt32LE(0xfffffff0, 16)), /"fmt" chunk at byte 12 declares 4,294,967,280 bytes but the file ends/],
    ['a WAV whose LIST chunk runs past the end', () => riff(chunk('fmt ', fmtOf(tone)), chunk('LIST', Buffer.from('INFOISFT'), 1_000_000), chunk('data', dataOf(tone))), /"LIST" chunk at byte 36 declares 1,000,000 bytes/],
    ['a 1 KB WAV claiming 4 GB of data', () => riff(chunk('fmt ', fmtOf(tone)), chunk('data', dataOf(tone).subarray(0, 1000), 0xfffffff0)), /declares 4,294,967,280 bytes but only 1,000 are present; the file is truncated/],
    ['100,000 empty chunks', () => riff(chunk('fmt ', fmtOf(tone)), ...Array.from({ length: 100_000 }, () => chunk('JUNK', Buffer.alloc(0))), chunk('data', dataOf(tone))), new RegExp(`more than ${PROBE_LIMITS.maxWavChunks} chunks`)],
    ['a WAV with data before fmt', () => riff(chunk('data', dataOf(tone)), chunk('fmt ', fmtOf(tone))), /data chunk comes before its fmt chunk/],
    ['a WAV without data', () => riff(chunk('fmt ', fmtOf(tone))), /ends before its data chunk/],
    ['a WAV with an empty data chunk', () => riff(chunk('fmt ', fmtOf(tone)), chunk('data', Buffer.alloc(0), 0), Buffer.alloc(0)), /holds no audio samples/],
    ['an MP3 header followed by random bytes', () => Buffer.concat([MP3_HEADER, randomBytes(20_000)]), /no run of 3 consecutive valid frames/],
    ['an ID3 tag and an MP3 header followed by random bytes', () => Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), MP3_HEADER, randomBytes(5_000)]), /no run of 3 consecutive valid frames/],
    // the first tag reaches past what the sniff reads (5,000 bytes, syncsafe 0x27 0x08)
    ['100,000 empty ID3 tags', () => Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x27\x08', 'latin1'), Buffer.alloc(5000), Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00'.repeat(100_000), 'latin1'), bytesOf('no-tags.mp3')]), /more than 16 ID3 tags/],
    ['an ID3 tag and nothing else', () => Buffer.from('ID3\x04\x00\x00\x00\x00\x01\x00', 'latin1'), /ends inside its ID3 tag/],
    ['an HTML page', () => Buffer.from('<!DOCTYPE html><html><body>not audio</body></html>'), /not WAV, MP3, FLAC or Ogg/],
    ['nothing', () => Buffer.alloc(0), /empty/],
    ['FLAC whose STREAMINFO says 0 Hz', () => patched(bytesOf('s16.flac'), (b) => b.fill(0, 18, 20).writeUInt8(b[20] & 0x0f, 20)), /^The FLAC file declares a sample rate of 0 Hz\.$/],
    ['FLAC whose STREAMINFO says 5 channels but frames carry 2', () => patched(bytesOf('s16.flac'), (b) => b.writeUInt8((b[20] & 0xf1) | (4 << 1), 20)), /no valid audio frame after its metadata/],
    ['FLAC whose first frame header has a wrong CRC-8', () => {
      const flac = bytesOf('s16.flac');
      const first = flacFirstFrame(flac);
      return patched(flac, (b) => b.writeUInt8(b[first + 2] ^ 0x10, first + 2));
    }, /no valid audio frame after its metadata/],
    ['FLAC with a damaged frame', () => patched(bytesOf('s16.flac'), (b) => b.writeUInt8(b[b.length - 500] ^ 0xff, b.length - 500)), /fails its CRC-16 check/],
    ['Ogg with a damaged page', () => patched(bytesOf('vorbis.ogg'), (b) => b.writeUInt8(b[200] ^ 0xff, 200)), /fails its CRC check/],
    ['Ogg carrying something other than Vorbis or Opus', () => oggWithFirstPacket(Buffer.from('\x80theora', 'latin1')), /neither Vorbis nor Opus/],
  ];

  it.each(cases)('%s', (_name, make, reason) => {
    const bytes = make();
    const probed = probeAudio(bytes);
    expect(reasonOf(probed)).toMatch(reason);
    expect(reasonOf(probeInChunks(bytes, 4096))).toBe(reasonOf(probed));
  });

  it.each([...encoded.keys()])('%s, truncated at 70 %%, is refused as truncated', (name) => {
    const whole = bytesOf(name);
    const probed = probeAudio(whole.subarray(0, Math.floor(whole.length * 0.7)));
    expect(reasonOf(probed)).toMatch(/truncated/);
  });

  const mixed: [string, () => Buffer][] = [
    ['a WAV header with an MP3 body', () => Buffer.concat([bytesOf('s16-stereo.wav').subarray(0, 44), bytesOf('cbr-128k.mp3')])],
    ['a WAV header with a FLAC body', () => Buffer.concat([bytesOf('f32-stereo.wav').subarray(0, 80), bytesOf('s16.flac')])],
    ['FLAC metadata with an Ogg body', () => Buffer.concat([bytesOf('s16.flac').subarray(0, flacFirstFrame(bytesOf('s16.flac'))), bytesOf('vorbis.ogg')])],
    ['an Ogg first page with an MP3 body', () => Buffer.concat([bytesOf('opus.opus').subarray(0, 47), bytesOf('no-tags.mp3')])],
    ['MP3 frames with a WAV body', () => Buffer.concat([bytesOf('no-tags.mp3').subarray(0, 2000), bytesOf('s16-stereo.wav')])],
    ['an ID3 tag with a FLAC body', () => Buffer.concat([bytesOf('cbr-128k.mp3').subarray(0, 45), bytesOf('s16.flac')])],
  ];
  it.each(mixed)('%s', (_name, make) => {
    const probed = probeAudio(make());
    expect(probed.ok).toBe(false);
    expect(reasonOf(probed)).toMatch(/^The (WAV |MP3 |FLAC |Ogg )?file[^.]*\./);
  });
});

/** Where the first audio frame of a FLAC file begins (after the last metadata block). */
function flacFirstFrame(flac: Buffer): number {
  let at = 4;
  for (;;) {
    const last = flac[at] & 0x80;
    at += 4 + flac.readUIntBE(at + 1, 3);
    if (last) return at;
  }
}

/** A one-page Ogg stream whose page holds `packet`, with a correct CRC. */
function oggWithFirstPacket(packet: Buffer): Buffer {
  const page = Buffer.concat([Buffer.from('OggS\x00\x06', 'latin1'), Buffer.alloc(8), Buffer.from([1, 0, 0, 0]), Buffer.alloc(4), Buffer.alloc(4), Buffer.from([1, packet.length]), packet]);
  let crc = 0;
  for (const byte of page) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  page.writeUInt32LE(crc >>> 0, 22);
  return page;
}
