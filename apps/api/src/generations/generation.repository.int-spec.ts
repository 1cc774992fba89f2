import type { GenerationParams } from '@texttune/contracts';
import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import type { Sql } from '../database/sql';
import { GenerationRepository, type Admission } from './generation.repository';

const PARAMS: GenerationParams = { duration: 10, samplerate: 44100, seed: 7, quality: 'draft', variations: 2, sampling: { temperature: 1.1 } };
const LIMITS = { maxActiveJobs: 5, maxQueueLength: 100, dailySecondsQuota: 0 };

describe('GenerationRepository (real Postgres)', () => {
  let database: MigratedDatabase;
  let sql: Sql;
  let jobs: GenerationRepository;

  beforeAll(async () => {
    database = await migratedDatabase();
    sql = database.sql;
    jobs = new GenerationRepository(sql);
  });
  afterAll(() => database?.close());

  const newUser = async (email: string | null = null) => (await sql.one<{ id: string }>(`INSERT INTO users (email) VALUES ($1) RETURNING id`, [email]))!.id;
  const request = (userId: string, extra: Partial<Admission> = {}): Admission => ({
    userId,
    prompt: `it's "rain" on 비 오는 날 🎹 $1; --`,
    params: PARAMS,
    engine: 'offline',
    requestedSeconds: 20,
    ...LIMITS,
    ...extra,
  });
  const admitted = async (userId: string, extra: Partial<Admission> = {}) => {
    const { job } = await jobs.admit(request(userId, extra));
    if (!job) throw new Error('not admitted');
    return job;
  };
  /** Moves a job's heartbeat into the past, as a worker that died long ago left it. */
  const age = (id: string, seconds: number) => sql.run(`UPDATE generations SET heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1`, [id, seconds]);

  it('admits a job with its values bound as given and every field read back typed', async () => {
    const user = await newUser();
    const { job, usage } = await jobs.admit(request(user));
    expect(job).toMatchObject({ userId: user, status: 'queued', prompt: `it's "rain" on 비 오는 날 🎹 $1; --`, params: PARAMS, engine: 'offline', requestedSeconds: 20, attempts: 0, progress: 0 });
    expect(job!.createdAt).toBeInstanceOf(Date);
    expect(usage).toEqual({ active: 0, queued: expect.any(Number), today: 0, position: usage.queued + 1 });
    expect(await jobs.findOwned(user, job!.id)).toEqual(job);
    expect(await jobs.findOwned(await newUser(), job!.id)).toBeNull();
  });

  it('refuses past each limit, writing nothing, and says which counts it saw', async () => {
    const user = await newUser();
    await admitted(user, { maxActiveJobs: 2 });
    await admitted(user, { maxActiveJobs: 2 });
    const refused = await jobs.admit(request(user, { maxActiveJobs: 2 }));
    expect(refused.job).toBeNull();
    expect(refused.usage.active).toBe(2);
    const quota = await jobs.admit(request(user, { dailySecondsQuota: 50 }));
    expect(quota.job).toBeNull();
    expect(quota.usage.today).toBe(40);
    expect((await jobs.page({ userId: user, limit: 10 })).length).toBe(2);
  });

  it('serialises one user’s concurrent admissions, so the active limit holds', async () => {
    const user = await newUser();
    const results = await Promise.all(Array.from({ length: 6 }, () => jobs.admit(request(user, { maxActiveJobs: 3 }))));
    expect(results.filter((r) => r.job).length).toBe(3);
  });

  it('claims once, heartbeats, notices a cancel request, and succeeds only for its own worker', async () => {
    const job = await admitted(await newUser());
    const claimed = await jobs.claim(job.id, 'w1', 30);
    expect(claimed).toMatchObject({ status: 'running', workerId: 'w1', attempts: 1 });
    expect(await jobs.claim(job.id, 'w2', 30)).toBeNull(); // alive in w1
    expect(await jobs.heartbeat(job.id, 'w1', { progress: 0.5, enginePosition: 3, etaSeconds: 12 })).toEqual({ held: true, cancelRequested: false });
    expect(await jobs.findById(job.id)).toMatchObject({ progress: 0.5, enginePosition: 3, etaSeconds: 12 });
    expect(await jobs.heartbeat(job.id, 'w2', { progress: 0.9, enginePosition: null, etaSeconds: null })).toEqual({ held: false, cancelRequested: false });
    expect(await jobs.requestCancel(job.id)).toBe(true);
    expect(await jobs.heartbeat(job.id, 'w1', { progress: 0.6, enginePosition: null, etaSeconds: null })).toEqual({ held: true, cancelRequested: true });
    expect(await jobs.succeed(job.id, 'w2')).toBeNull();
    const done = await jobs.succeed(job.id, 'w1');
    expect(done).toMatchObject({ status: 'succeeded', progress: 1, enginePosition: null });
    expect(done!.finishedAt).toBeInstanceOf(Date);
    expect(await jobs.claim(job.id, 'w2', 30)).toBeNull();
  });

  it('lets another worker take over a running job whose lease ran out', async () => {
    const job = await admitted(await newUser());
    await jobs.claim(job.id, 'w1', 30);
    await age(job.id, 60);
    expect(await jobs.claim(job.id, 'w2', 30)).toMatchObject({ workerId: 'w2', attempts: 2 });
    expect(await jobs.fail(job.id, 'w1', 'engine_error', 'late')).toBeNull();
  });

  it('fails, confirms a cancel, and cancels a queued job, each only from the state it expects', async () => {
    const user = await newUser();
    const failing = await admitted(user);
    await jobs.claim(failing.id, 'w1', 30);
    expect(await jobs.fail(failing.id, 'w1', 'timeout', 'too slow')).toMatchObject({ status: 'failed', errorCode: 'timeout', errorMessage: 'too slow' });
    const canceling = await admitted(user);
    await jobs.claim(canceling.id, 'w1', 30);
    expect(await jobs.confirmCancel(canceling.id, 'w1', 'Canceled while rendering.')).toMatchObject({ status: 'canceled', errorCode: 'canceled' });
    const queued = await admitted(user);
    expect(await jobs.cancel(queued.id)).toMatchObject({ status: 'canceled', errorMessage: 'Canceled before it started.' });
    expect(await jobs.cancel(queued.id)).toBeNull();
    expect(await jobs.requestCancel(queued.id)).toBe(false);
  });

  describe('requeue(reason)', () => {
    it('shutdown: hands the job back without counting the attempt, only from its own worker', async () => {
      const job = await admitted(await newUser());
      await jobs.claim(job.id, 'w1', 30);
      expect(await jobs.requeue({ kind: 'shutdown', id: job.id, workerId: 'w2' })).toEqual([]);
      const [back] = await jobs.requeue({ kind: 'shutdown', id: job.id, workerId: 'w1' });
      expect(back).toMatchObject({ id: job.id, status: 'queued', workerId: null, attempts: 0, progress: 0 });
    });

    it('transient: keeps the attempt and shows the error until the retry runs', async () => {
      const job = await admitted(await newUser());
      await jobs.claim(job.id, 'w1', 30);
      await jobs.heartbeat(job.id, 'w1', { progress: 0.4, enginePosition: 2, etaSeconds: 5 });
      const [back] = await jobs.requeue({ kind: 'transient', id: job.id, workerId: 'w1', code: 'space_unavailable', message: 'the Space is asleep' });
      expect(back).toMatchObject({ status: 'queued', attempts: 1, errorCode: 'space_unavailable', errorMessage: 'the Space is asleep', progress: 0, enginePosition: null, etaSeconds: null });
    });

    it('lost: only running jobs whose lease ran out, and interrupted ones fail once out of attempts', async () => {
      const user = await newUser();
      const [alive, stale, exhausted] = [await admitted(user), await admitted(user), await admitted(user)];
      for (const job of [alive, stale, exhausted]) await jobs.claim(job.id, 'w1', 30);
      await sql.run(`UPDATE generations SET attempts = 3 WHERE id = $1`, [exhausted.id]);
      await age(stale.id, 120);
      await age(exhausted.id, 120);
      const failed = await jobs.failInterrupted(60, 3);
      expect(failed.map((j) => j.id)).toEqual([exhausted.id]);
      expect(failed[0]).toMatchObject({ status: 'failed', errorCode: 'interrupted', errorMessage: expect.stringContaining('3 time(s)') });
      const requeued = await jobs.requeue({ kind: 'lost', leaseSeconds: 60 });
      expect(requeued.map((j) => j.id)).toEqual([stale.id]);
      expect(requeued[0]).toMatchObject({ attempts: 1, workerId: null });
      expect((await jobs.findById(alive.id))!.status).toBe('running');
    });

    it('restart: every running job, whatever its lease', async () => {
      const job = await admitted(await newUser());
      await jobs.claim(job.id, 'w1', 30);
      expect((await jobs.requeue({ kind: 'restart' })).map((j) => j.id)).toContain(job.id);
      expect((await jobs.findById(job.id))!.status).toBe('queued');
    });

    it('retry: a failed job as new, and nothing else', async () => {
      const job = await admitted(await newUser());
      await jobs.claim(job.id, 'w1', 30);
      expect(await jobs.requeue({ kind: 'retry', id: job.id })).toEqual([]); // running, not failed
      await jobs.requestCancel(job.id);
      await jobs.fail(job.id, 'w1', 'engine_error', 'broken');
      const [back] = await jobs.requeue({ kind: 'retry', id: job.id });
      expect(back).toMatchObject({ status: 'queued', attempts: 0, errorCode: null, errorMessage: null, startedAt: null, finishedAt: null, heartbeatAt: null, cancelRequestedAt: null });
      expect(back.params).toEqual(PARAMS);
    });
  });

  it('pages newest first by keyset, filtered by status, across users with their owners', async () => {
    const user = await newUser('owner@example.com');
    const made = [];
    for (let i = 0; i < 5; i++) {
      // created_at has millisecond resolution: jobs admitted within one millisecond would tie
      // and fall back to id order, which is random.
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 3));
      made.push(await admitted(user));
    }
    await jobs.cancel(made[1].id);
    const first = await jobs.page({ userId: user, limit: 2 });
    expect(first.map((j) => j.id)).toEqual([made[4].id, made[3].id, made[2].id]); // limit + 1
    const next = await jobs.page({ userId: user, limit: 2, after: first[1] });
    expect(next.map((j) => j.id)).toEqual([made[2].id, made[1].id, made[0].id]);
    expect((await jobs.page({ userId: user, statuses: ['canceled'], limit: 10 })).map((j) => j.id)).toEqual([made[1].id]);
    const owned = await jobs.pageWithOwners({ userId: user, statuses: ['queued'], limit: 1 });
    expect(owned.map((o) => [o.job.id, o.ownerEmail])).toEqual([
      [made[4].id, 'owner@example.com'],
      [made[3].id, 'owner@example.com'],
    ]);
    expect(await jobs.ownerEmails([user])).toEqual(new Map([[user, 'owner@example.com']]));
  });

  it('counts the queue: positions, queued work, orphans, and metrics figures', async () => {
    await sql.run(`UPDATE generations SET status = 'canceled' WHERE status IN ('queued', 'running')`);
    const user = await newUser();
    const a = await admitted(user);
    const b = await admitted(user, { engine: 'space' });
    expect(await jobs.positionOf(a)).toBe(1);
    expect(await jobs.positionOf(b)).toBe(2);
    expect(await jobs.queuedWorkThrough(b)).toEqual(
      expect.arrayContaining([
        { engine: 'offline', quality: 'draft', jobs: 1, seconds: 20 },
        { engine: 'space', quality: 'draft', jobs: 1, seconds: 20 },
      ]),
    );
    expect(await jobs.queuedIds()).toEqual([a.id, b.id]);
    expect(await jobs.queuedIds({ idleSeconds: 60 })).toEqual([]);
    await sql.run(`UPDATE generations SET updated_at = now() - interval '2 minutes' WHERE id = $1`, [a.id]);
    expect(await jobs.queuedIds({ idleSeconds: 60, limit: 10 })).toEqual([a.id]);

    await jobs.claim(a.id, 'w1', 30);
    expect(await jobs.runningWork()).toEqual([{ engine: 'offline', quality: 'draft', seconds: 20, elapsedSeconds: expect.any(Number) }]);
    await sql.run(`UPDATE generations SET started_at = now() - interval '4 seconds', created_at = now() - interval '5 seconds' WHERE id = $1`, [a.id]);
    const from = await jobs.finishedKeysetAgo(60);
    await jobs.succeed(a.id, 'w1');
    expect(await jobs.measuredKinds(20)).toEqual(expect.arrayContaining([expect.objectContaining({ engine: 'offline', quality: 'draft', jobs: expect.any(Number) })]));
    const finished = await jobs.finishedAfter({ finishedAt: from, id: '00000000-0000-0000-0000-000000000000' }, 0, 100);
    const mine = finished.find((f) => f.id === a.id);
    expect(mine).toMatchObject({ engine: 'offline', status: 'succeeded', errorCode: null });
    expect(mine!.runSeconds).toBeGreaterThan(3.5);
    expect(mine!.waitSeconds).toBeCloseTo(1, 0);
    expect(await jobs.countByStatusAndEngine()).toEqual(expect.arrayContaining([{ status: 'succeeded', engine: 'offline', n: expect.any(Number) }]));
    expect(await jobs.engineTotals(24)).toEqual(expect.arrayContaining([expect.objectContaining({ engine: 'offline', status: 'succeeded', perAudioSecond: expect.any(Number) })]));
    expect(await jobs.engineErrors(24)).toEqual(expect.arrayContaining([expect.objectContaining({ engine: 'offline', code: 'timeout', lastMessage: 'too slow' })]));
  });

  it('writes inside the caller’s transaction and rolls back with it', async () => {
    const job = await admitted(await newUser());
    await expect(
      sql.transaction(async (tx) => {
        await jobs.cancel(job.id, tx);
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    expect((await jobs.findById(job.id))!.status).toBe('queued');
  });
});
