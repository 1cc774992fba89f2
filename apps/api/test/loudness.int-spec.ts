/**
 * Every stored take's loudness, measured by our meters (libs/audio) when it is stored,
 * checked against ffmpeg's EBU R128 meter on the bytes the API serves: takes of the
 * offline engine, of a Gradio Space (tools/fake-space through @gradio/client), and
 * MP3/FLAC/Ogg output an engine may give. Tracks without loudness (made before it was
 * measured) answer null until the worker's backfill measures them.
 */
import { encodeWavPcm16 } from '@texttune/audio';
import type { LibraryResponse, SharedPlaylistResponse, SharedTrackResponse, ShareResponse, TrackLoudness, TrackResponse } from '@texttune/contracts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { createEngines } from '../src/engines/create-engines';
import { OfflineEngine } from '../src/engines/local/offline-engine';
import { LoudnessBackfill } from '../src/tracks/loudness-backfill';
import { FakeSpace } from './support/fake-tools';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the reference meter is a test tool outside every project, reached by path
import { measureEbur128Sync, requireFfmpeg } from '../../../tools/reference/ffmpeg-ebur128.cjs';
import { ffmpegEncode } from './support/ffmpeg-encode';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

type Auth = { Authorization: string };

// Renders, ffmpeg runs and a Space round trip per test.
jest.setTimeout(60_000);

async function generate(t: TestApp, auth: Auth, body: Record<string, unknown>): Promise<string> {
  const res = await t.http().post('/v1/generations').set(auth).send(body).expect(202);
  const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed', 'canceled'], 60_000);
  expect(done).toMatchObject({ status: 'succeeded' });
  return done.track_id!;
}

const getTrack = async (t: TestApp, auth: Auth, id: string) => (await t.http().get(`/v1/tracks/${id}`).set(auth).expect(200)).body as TrackResponse;
const download = async (t: TestApp, auth: Auth, id: string) =>
  (await t.http().get(`/v1/download/${id}`).set(auth).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  }).expect(200)).body as Buffer;

/** Our stored loudness agrees with ffmpeg's on the served bytes: LUFS within 0.5 LU, LRA within 1 LU, true peak within 0.5 dB. */
function expectMatchesFfmpeg(loudness: TrackLoudness | null, bytes: Buffer): void {
  const reference = measureEbur128Sync(bytes);
  expect(loudness).not.toBeNull();
  expect(Math.abs(loudness!.integrated_lufs - reference.integratedLufs)).toBeLessThan(0.5);
  expect(Math.abs(loudness!.range_lu - reference.loudnessRangeLu)).toBeLessThan(1);
  expect(Math.abs(loudness!.true_peak_dbtp - reference.truePeakDbtp)).toBeLessThan(0.5);
}

/** 10 s of stereo noise and a tone that steps from −28 to −12 dBFS halfway: a real loudness range. */
function steppedProgramme(rate = 44100): Buffer {
  const frames = 10 * rate;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  let state = 12345;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff - 0.5;
  };
  for (let i = 0; i < frames; i++) {
    const gain = Math.pow(10, (i < frames / 2 ? -28 : -12) / 20);
    const tone = Math.sin((2 * Math.PI * 330 * i) / rate);
    left[i] = gain * (0.6 * tone + 0.8 * random());
    right[i] = gain * (0.6 * tone + 0.8 * random());
  }
  return encodeWavPcm16([left, right], rate);
}

describe('track loudness', () => {
  describe('offline engine and other formats (one app)', () => {
    let t: TestApp;
    let auth: Auth;
    const test = new TestEngine('test');
    beforeAll(async () => {
      requireFfmpeg();
      t = await startTestApp({ MAX_DURATION_SECONDS: '30', MAX_ACTIVE_JOBS_PER_USER: '50' }, { engines: [new OfflineEngine(), test] });
      auth = await signIn(t);
    });
    afterAll(() => t.close());

    it('measures an offline take as ffmpeg does, and shows it in the track, the library, a share link and a shared playlist', async () => {
      const id = await generate(t, auth, { prompt: 'calm lo-fi piano with soft drums, 80 bpm', duration: 8, samplerate: 44100, seed: 7 });
      const track = await getTrack(t, auth, id);
      expect(track.engine).toBe('offline');
      const bytes = await download(t, auth, id);
      expectMatchesFfmpeg(track.loudness, bytes);

      const library = (await t.http().get('/v1/library').set(auth).expect(200)).body as LibraryResponse;
      expect(library.items.find((item) => item.id === id)?.loudness).toEqual(track.loudness);

      const share = (await t.http().post(`/v1/tracks/${id}/share`).set(auth).send({}).expect(201)).body as ShareResponse;
      expect(((await t.http().get(share.url).expect(200)).body as SharedTrackResponse).loudness).toEqual(track.loudness);

      const playlist = (await t.http().post('/v1/playlists').set(auth).send({ title: 'levels' }).expect(201)).body as { id: string };
      await t.http().post(`/v1/playlists/${playlist.id}/tracks`).set(auth).send({ trackId: id }).expect(200);
      const playlistShare = (await t.http().post(`/v1/playlists/${playlist.id}/share`).set(auth).send({}).expect(201)).body as { url: string };
      const shared = (await t.http().get(playlistShare.url).expect(200)).body as SharedPlaylistResponse;
      expect(shared.tracks[0].loudness).toEqual(track.loudness);
    });

    it.each<[string, string, string[]]>([
      ['WAV', 'wav', ['-c:a', 'pcm_s24le']],
      ['MP3', 'mp3', ['-c:a', 'libmp3lame', '-q:a', '2']],
      ['FLAC', 'flac', ['-c:a', 'flac']],
      ['Ogg Vorbis', 'ogg', ['-c:a', 'libvorbis', '-q:a', '5']],
    ])('measures %s output, stored byte for byte, as ffmpeg does', async (_, format, codec) => {
      const output = ffmpegEncode(steppedProgramme(), format, codec);
      test.behaviour.output = output;
      const id = await generate(t, auth, { prompt: `a ${format} take`, engine: 'test', duration: 10 });
      const track = await getTrack(t, auth, id);
      expect(track.format).toBe(format);
      const bytes = await download(t, auth, id);
      expect(bytes.equals(output)).toBe(true);
      expectMatchesFfmpeg(track.loudness, bytes);
      expect(track.loudness!.range_lu).toBeGreaterThan(10);
    });

    it('leaves the loudness null, with the reason, for audio it cannot decode (Ogg Opus) and for silence', async () => {
      test.behaviour.output = ffmpegEncode(steppedProgramme(48000), 'ogg', ['-c:a', 'libopus']);
      const opus = await generate(t, auth, { prompt: 'an opus take', engine: 'test', duration: 10 });
      test.behaviour.output = encodeWavPcm16([new Float32Array(44100 * 2)], 44100);
      const silent = await generate(t, auth, { prompt: 'a silent take', engine: 'test', duration: 2 });
      for (const id of [opus, silent]) expect((await getTrack(t, auth, id)).loudness).toBeNull();
      const rows = await t.app.get(DataSource).query<{
        id: string;
        loudness_error: string;
        loudness_measured_at: Date | null;
      }[]>(`SELECT id, loudness_error, loudness_measured_at FROM tracks WHERE id = ANY($1::uuid[])`, [[opus, silent]]);
      expect(rows.find((r) => r.id === opus)).toMatchObject({ loudness_error: expect.stringMatching(/could not decode the ogg audio/), loudness_measured_at: expect.any(Date) });
      expect(rows.find((r) => r.id === silent)).toMatchObject({ loudness_error: expect.stringMatching(/^silent/), loudness_measured_at: expect.any(Date) });
    });

    it('answers null for a track made before loudness was measured, until the backfill measures it', async () => {
      test.behaviour.output = ffmpegEncode(steppedProgramme(), 'mp3', ['-c:a', 'libmp3lame', '-q:a', '4']);
      const id = await generate(t, auth, { prompt: 'an old take', engine: 'test', duration: 10 });
      const measured = (await getTrack(t, auth, id)).loudness;
      const db = t.app.get(DataSource);
      await db.query(
        `UPDATE tracks SET loudness_integrated_lufs = NULL, loudness_true_peak_dbtp = NULL, loudness_range_lu = NULL, loudness_measured_at = NULL, loudness_error = NULL WHERE id = $1`,
        [id],
      );
      expect((await getTrack(t, auth, id)).loudness).toBeNull();
      const library = (await t.http().get('/v1/library').set(auth).expect(200)).body as LibraryResponse;
      expect(library.items.find((item) => item.id === id)?.loudness).toBeNull();

      expect(await t.app.get(LoudnessBackfill).pass()).toBeGreaterThanOrEqual(1);
      expect((await getTrack(t, auth, id)).loudness).toEqual(measured);
      const [{ pending }] = await db.query<{ pending: number }[]>(`SELECT count(*)::int AS pending FROM tracks WHERE loudness_measured_at IS NULL`);
      expect(pending).toBe(0);
    });
  });

  describe('Gradio Space (fake Space through @gradio/client)', () => {
    let space: FakeSpace;
    let t: TestApp;
    let auth: Auth;
    const quiet: jest.SpyInstance[] = [];
    beforeAll(async () => {
      quiet.push(jest.spyOn(console, 'error').mockImplementation(() => undefined), jest.spyOn(console, 'warn').mockImplementation(() => undefined));
      space = await FakeSpace.start();
      const env = { HF_SPACE_ID: `${space.url}/`, MAX_DURATION_SECONDS: '30', GENERATION_TIMEOUT_SECONDS: '30' };
      t = await startTestApp(env, { engines: createEngines(loadConfig({ NODE_ENV: 'test', ...env })) });
      auth = await signIn(t);
    });
    afterAll(async () => {
      await t?.close();
      await space?.stop();
      quiet.forEach((spy) => spy.mockRestore());
    });

    it("measures the Space's output, kept byte for byte, as ffmpeg does", async () => {
      const id = await generate(t, auth, { prompt: 'epic orchestral trailer in D minor', duration: 8, seed: 3 });
      const track = await getTrack(t, auth, id);
      expect(track.engine).toBe('gradio');
      const bytes = await download(t, auth, id);
      const [row] = await t.app.get(DataSource).query<{ storage_key: string }[]>('SELECT storage_key FROM tracks WHERE id = $1', [id]);
      expect(bytes.equals(await readFile(path.join(t.config.storageDir, row.storage_key)))).toBe(true);
      expectMatchesFfmpeg(track.loudness, bytes);
    });
  });
});
