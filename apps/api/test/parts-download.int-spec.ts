/**
 * MIDI and stems downloads end to end: the real API with the engines the configuration
 * selects (a tools/fake-space Space first, the offline composer second), the parts
 * rendered on first request and kept, read back with third-party parsers
 * (@tonejs/midi, yauzl, Info-ZIP's unzip) and checked against the composer itself.
 */
import { composeRequest, renderMusic, renderPreMasterMix, type RenderRequest } from '@texttune/composer';
import type { GenerationResponse, TrackResponse } from '@texttune/contracts';
import { Midi } from '@tonejs/midi';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import { loadConfig } from '../src/config/app-config';
import { createEngines } from '../src/engines/create-engines';
import { decodeWav } from '../src/tracks/waveform';
import { FakeSpace } from './support/fake-tools';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';

const TOKEN = 'hf_partsDownloadTestToken0123456789';

/** The body of a binary answer, whatever its content type. */
const binary = (req: ReturnType<ReturnType<TestApp['http']>['get']>) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** Every entry of a ZIP archive (read with yauzl), by name. */
async function unzipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  const archive = await new Promise<ZipFile>((resolve, reject) => fromBuffer(zip, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))));
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    archive.on('entry', (entry: Entry) => {
      archive.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          archive.readEntry();
        });
      });
    });
    archive.on('end', resolve);
    archive.on('error', reject);
    archive.readEntry();
  });
  return entries;
}

describe('MIDI and stems downloads', () => {
  let space: FakeSpace;
  let t: TestApp;
  let auth: { Authorization: string };
  let offline: TrackResponse;
  let request: RenderRequest;

  async function generate(body: Record<string, unknown>): Promise<TrackResponse> {
    const job = (await t.http().post('/v1/generations').set(auth).send(body).expect(202)).body as GenerationResponse;
    const done = await waitForStatus(t, auth, job.job_id, ['succeeded'], 60_000);
    return track(done.track_ids[0]);
  }
  const track = async (id: string) => (await t.http().get(`/v1/tracks/${id}`).set(auth).expect(200)).body as TrackResponse;

  beforeAll(async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    space = await FakeSpace.start({ FAKE_SPACE_TOKEN: TOKEN });
    const env = { HF_SPACE_ID: `${space.url}/`, HF_API_TOKEN: TOKEN, MAX_DURATION_SECONDS: '60', JOB_MAX_ATTEMPTS: '1', GENERATION_TIMEOUT_SECONDS: '60' };
    t = await startTestApp(env, { engines: createEngines(loadConfig({ NODE_ENV: 'test', ...env })) });
    auth = await signIn(t);
    offline = await generate({ prompt: 'jazz waltz with piano and bass in Eb major', duration: 5, samplerate: 22050, seed: 5, quality: 'standard', engine: 'offline' });
    request = { prompt: offline.prompt_raw, durationSeconds: 5, sampleRate: 22050, seed: 5, quality: 'standard' };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await space?.stop();
    jest.restoreAllMocks();
  });

  it('lists midi and stems among the renditions of an offline track, not made yet', () => {
    expect(offline.engine).toBe('offline');
    expect(offline.renditions.map((r) => r.format)).toEqual(['wav', 'mp3', 'midi', 'stems']);
    expect(offline.renditions.find((r) => r.format === 'midi')).toEqual({
      format: 'midi',
      mime_type: 'audio/midi',
      size: null,
      url: `/v1/download/${offline.id}?format=midi`,
      download_url: `/v1/download/${offline.id}?format=midi`,
    });
    expect(offline.renditions.find((r) => r.format === 'stems')).toMatchObject({ mime_type: 'application/zip', size: null });
  });

  it('format=midi: a type 1 MIDI file with the plan\u2019s tempo, meter and key and every note of the score, kept after the first request', async () => {
    const res: Response = await binary(t.http().get(`/v1/download/${offline.id}?format=midi`).set(auth)).expect(200);
    expect(res.headers['content-type']).toBe('audio/midi');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+\.mid"/);
    const bytes = res.body as Buffer;
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('MThd');
    const midi = new Midi(bytes);
    const plan = offline.engine_meta.plan as { tempoBpm: number; beatsPerBar: number; key: { mode: string } };
    expect(plan.beatsPerBar).toBe(3);
    expect(midi.header.tempos[0].bpm).toBeCloseTo(plan.tempoBpm, 3);
    expect(midi.header.timeSignatures[0].timeSignature).toEqual([3, 4]);
    // Eb major: three flats.
    expect(midi.header.keySignatures[0]).toMatchObject({ key: 'Eb', scale: 'major' });
    const { score } = composeRequest(request);
    const scoreNotes = score.tracks.filter((tr) => tr.source.type === 'drum' || tr.source.instrument !== 'vinyl').reduce((n, tr) => n + tr.notes.length, 0);
    expect(midi.tracks.reduce((n, tr) => n + tr.notes.length, 0)).toBe(scoreNotes);
    expect(midi.tracks.map((tr) => tr.name)).toEqual(expect.arrayContaining(['piano', 'bass']));

    const after = await track(offline.id);
    expect(after.renditions.find((r) => r.format === 'midi')?.size).toBe(bytes.length);
    const again: Response = await binary(t.http().get(`/v1/download/${offline.id}?format=midi`).set(auth)).expect(200);
    expect((again.body as Buffer).equals(bytes)).toBe(true);
    expect(again.headers['last-modified']).toBe(res.headers['last-modified']);
  });

  it('format=stems: a ZIP of one float WAV per part, each as long as the track, summing to its pre-master mix within −60 dB', async () => {
    const res: Response = await binary(t.http().get(`/v1/download/${offline.id}?format=stems`).set(auth)).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/\.stems\.zip"/);
    const zip = res.body as Buffer;

    // Info-ZIP agrees the archive is whole.
    const dir = await mkdtemp(path.join(tmpdir(), 'texttune-stems-'));
    try {
      await writeFile(path.join(dir, 'stems.zip'), zip);
      expect(execFileSync('unzip', ['-tq', path.join(dir, 'stems.zip')]).toString()).toMatch(/No errors detected/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const original = decodeWav((await binary(t.http().get(`/v1/download/${offline.id}`).set(auth)).expect(200)).body as Buffer)!;
    const frames = original.channels[0].length;
    expect(frames).toBe(5 * 22050);
    const entries = await unzipEntries(zip);
    const names = [...entries.keys()];
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names[0]).toBe('01-drums.wav');
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^\d\d-bass\.wav$/), expect.stringMatching(/^\d\d-chords-piano\.wav$/)]));
    const sum = [new Float64Array(frames), new Float64Array(frames)];
    for (const [name, wav] of entries) {
      expect(name).toMatch(/^\d\d-[a-z0-9-]+\.wav$/);
      const stem = decodeWav(wav);
      expect(stem).not.toBeNull();
      expect(stem!.sampleRate).toBe(22050);
      expect(stem!.channels).toHaveLength(2);
      for (const [c, channel] of stem!.channels.entries()) {
        expect(channel).toHaveLength(frames);
        for (let i = 0; i < frames; i++) sum[c][i] += channel[i];
      }
    }
    // The stored track is this request's render, and the stems sum to its mix before mastering.
    expect((await renderMusic(request)).wav.equals(await readFile(path.join(t.config.storageDir, await storageKey(offline.id))))).toBe(true);
    const mix = await renderPreMasterMix(request);
    let error = 0;
    let signal = 0;
    [mix.left, mix.right].forEach((channel, c) => {
      for (let i = 0; i < frames; i++) {
        error += (sum[c][i] - channel[i]) ** 2;
        signal += channel[i] ** 2;
      }
    });
    expect(signal).toBeGreaterThan(0);
    expect(10 * Math.log10(error / signal)).toBeLessThan(-60);

    const after = await track(offline.id);
    expect(after.renditions.find((r) => r.format === 'stems')?.size).toBe(zip.length);
  });

  async function storageKey(id: string): Promise<string> {
    const [row] = await t.app.get(DataSource).query<{ storage_key: string }[]>('SELECT storage_key FROM tracks WHERE id = $1', [id]);
    return row.storage_key;
  }

  it('answers 400 format_unavailable when the composer no longer makes the plan the track was made with', async () => {
    const other = await generate({ prompt: 'calm lo-fi piano', duration: 1, samplerate: 16000, seed: 9, quality: 'draft', engine: 'offline' });
    await t.app.get(DataSource).query(`UPDATE tracks SET engine_meta = jsonb_set(engine_meta, '{plan,tempoBpm}', '61') WHERE id = $1`, [other.id]);
    const res = await t.http().get(`/v1/download/${other.id}?format=stems`).set(auth).expect(400);
    expect(res.body).toMatchObject({ code: 'format_unavailable', message: expect.stringMatching(/another version of the offline composer/) });
    // Nothing was kept for it.
    expect((await track(other.id)).renditions.find((r) => r.format === 'stems')?.size).toBeNull();
  });

  it('answers 400 format_unavailable for a Space track, naming the formats it has', async () => {
    const spaceTrack = await generate({ prompt: 'upbeat synthwave', duration: 2, seed: 3 });
    expect(spaceTrack.engine).toBe('gradio');
    expect(spaceTrack.renditions.map((r) => r.format)).not.toContain('midi');
    expect(spaceTrack.renditions.map((r) => r.format)).not.toContain('stems');
    for (const format of ['midi', 'stems']) {
      const res = await t.http().get(`/v1/download/${spaceTrack.id}?format=${format}`).set(auth).expect(400);
      expect(res.body.code).toBe('format_unavailable');
      expect(res.body.message).toMatch(/offline composer.*gradio engine.*format=wav/);
      expect(res.body.details.available).toContain('wav');
    }
    const bad = await t.http().get(`/v1/download/${offline.id}?format=flac`).set(auth).expect(400);
    expect(bad.body.message).toContain('wav, mp3, midi, stems');
    // Streaming stays audio only.
    await t.http().get(`/v1/stream/${offline.id}?format=midi`).set(auth).expect(400);
  });
});
