import { Inject, Injectable, Logger } from '@nestjs/common';
import { SEED_MAX, type GenerationWebhookData } from '@texttune/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { pipeline } from 'node:stream';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EngineRegistry } from '../engines/engine-registry';
import { EngineError, type EngineAudio, type EngineProgress, type MusicEngine, type ReferenceAudio } from '../engines/music-engine';
import { Sql } from '../database/sql';
import type { QueueJob } from '../queue/job-queue';
import { ReferencesService } from '../references/references.service';
import { AUDIO_STORAGE, StorageLimitError, type AudioStorage } from '../storage/audio-storage';
import { titleFromPrompt } from '../tracks/track-title';
import { TracksService, type NewTrack } from '../tracks/tracks.service';
import { toLibraryItem } from '../tracks/track-response';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { DecodedAudioCheck, inspectAudio } from '../engines/audio-intake';
import { GenerationEvents } from './generation-events';
import { toGenerationResponse } from './generation-response';
import type { GenerationEntity } from './generation.entity';
import { GenerationRepository } from './generation.repository';

/** Why a running job's AbortController fired. */
type StopReason = 'cancel' | 'timeout' | 'shutdown' | 'lost';

class StopSignal extends Error {
  constructor(readonly reason: StopReason) {
    super(`stopped: ${reason}`);
  }
}

/** Raised (to the queue driver) when a transient failure should be retried with backoff. */
export class RetryableJobError extends Error {}

const PROGRESS_EVENT_INTERVAL_MS = 100;

interface RunningJob {
  row: GenerationEntity;
  controller: AbortController;
  /** latest progress, flushed to the row by the heartbeat */
  progress: number;
  enginePosition: number | null;
  etaSeconds: number | null;
  lastEventAt: number;
  pendingEvent?: NodeJS.Timeout;
}

/**
 * Renders one job, exactly once: claims the row atomically (`queued -> running`), keeps
 * a heartbeat lease on it, runs the engine for each take with an abort signal, streams
 * each take into storage, and commits the tracks and `succeeded` in one transaction.
 * Failures end as `failed` with a stable code, or go back to `queued` for a retry when
 * transient.
 */
@Injectable()
export class GenerationRunner {
  readonly workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('GenerationRunner');
  private readonly running = new Map<string, RunningJob>();

  constructor(
    private readonly generations: GenerationRepository,
    private readonly sql: Sql,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    private readonly engines: EngineRegistry,
    private readonly tracks: TracksService,
    private readonly events: GenerationEvents,
    private readonly references: ReferencesService,
    private readonly webhooks: WebhookOutbox,
  ) {}

  get activeJobIds(): string[] {
    return [...this.running.keys()];
  }

  /** Stops a job this process runs (cancel request from the API, or shutdown). */
  stop(id: string, reason: StopReason): boolean {
    const job = this.running.get(id);
    if (!job) return false;
    job.controller.abort(new StopSignal(reason));
    return true;
  }

  private get leaseSeconds(): number {
    return this.config.queue.lockSeconds;
  }

  private get heartbeatMs(): number {
    return Math.min(1000, (this.leaseSeconds * 1000) / 3);
  }

  async handle(job: QueueJob): Promise<void> {
    const row = await this.generations.claim(job.id, this.workerId, this.leaseSeconds);
    if (!row) return; // finished, canceled, or alive in another worker: delivered twice, run once
    // The `running` status event published below counts for the progress throttle: the
    // first progress event follows it by PROGRESS_EVENT_INTERVAL_MS at the earliest, and a
    // job that ends sooner reports its progress in its final status event instead.
    const state: RunningJob = { row, controller: new AbortController(), progress: 0, enginePosition: null, etaSeconds: null, lastEventAt: Date.now() };
    this.running.set(row.id, state);
    const heartbeat = setInterval(() => void this.beat(state), this.heartbeatMs);
    const stored: string[] = [];
    try {
      await this.publishStatus(row);
      const engine = this.engines.get(row.engine ?? '');
      if (!engine) throw new EngineError('engine_error', `The engine "${row.engine}" is not available on this worker; ask an administrator to check the engine configuration.`);
      const reference = await this.loadReference(row);
      const takes: NewTrack[] = [];
      for (let take = 0; take < row.params.variations; take++) {
        const track = await this.renderTake(state, engine, take, reference);
        stored.push(track.storageKey);
        takes.push(track);
      }
      const committed = await this.commitSucceeded(row, takes);
      if (!committed) {
        // Canceled or taken over meanwhile: the tracks were never visible; drop the files.
        await this.removeFiles(stored);
        return;
      }
      // A progress event still waiting for the throttle is superseded by the final one.
      clearTimeout(state.pendingEvent);
      state.pendingEvent = undefined;
      await this.publishStatus(committed, takes.map((t) => t.id));
    } catch (error) {
      await this.removeFiles(stored);
      await this.settleFailure(state, job, error);
    } finally {
      clearInterval(heartbeat);
      clearTimeout(state.pendingEvent);
      this.running.delete(row.id);
    }
  }

  /**
   * Marks the job `succeeded` and inserts its tracks in one transaction. Returns the
   * updated row, or null, with nothing written, when the job is no longer this worker's
   * (canceled, taken over).
   */
  private commitSucceeded(row: GenerationEntity, takes: NewTrack[]): Promise<GenerationEntity | null> {
    return this.sql.transaction(async (tx) => {
      const succeeded = await this.generations.succeed(row.id, this.workerId, tx);
      if (!succeeded) return null;
      const stored = await this.tracks.insertTakes(takes, tx);
      const event: GenerationWebhookData = { job: toGenerationResponse(succeeded, { trackIds: stored.map((t) => t.id) }), tracks: stored.map(toLibraryItem) };
      await this.webhooks.record(tx, succeeded.userId, 'generation.succeeded', event, succeeded.finishedAt ?? undefined);
      return succeeded;
    });
  }

  private async reload(id: string): Promise<GenerationEntity> {
    const row = await this.generations.findById(id);
    if (!row) throw new Error(`generation ${id} is gone`);
    return row;
  }

  /** The job's reference (melody) audio, read once for all its takes; null when it has none. */
  private async loadReference(row: GenerationEntity): Promise<ReferenceAudio | null> {
    const id = row.params.reference_id;
    if (!id) return null;
    const reference = await this.references.load(row.userId, id);
    if (!reference) throw new EngineError('engine_error', 'The reference audio of this generation was deleted before it ran; upload it again and generate anew.');
    return reference;
  }

  private async renderTake(state: RunningJob, engine: MusicEngine, take: number, referenceAudio: ReferenceAudio | null): Promise<NewTrack> {
    const { row, controller } = state;
    const params = row.params;
    const seed = (params.seed + take) % (SEED_MAX + 1);
    const timeout = setTimeout(() => controller.abort(new StopSignal('timeout')), this.config.generation.timeoutSeconds * 1000);
    try {
      const audio = await raceAbort(
        engine.generate(
          { prompt: row.prompt, durationSeconds: params.duration, sampleRate: params.samplerate, seed, quality: params.quality, sampling: params.sampling, take, userId: row.userId, referenceAudio, loop: params.loop === true },
          { signal: controller.signal, onProgress: (update) => this.onProgress(state, take, update) },
        ),
        controller.signal,
      );
      return await this.storeTake(state, take, seed, audio);
    } finally {
      clearTimeout(timeout);
    }
  }

  private async storeTake(state: RunningJob, take: number, seed: number, audio: EngineAudio): Promise<NewTrack> {
    const { row } = state;
    const head = await inspectAudio(audio.body);
    if (!head) throw new EngineError('invalid_output', 'The engine returned something that is not audio; try again, or ask an administrator to check the engine.');
    const id = randomUUID();
    const storageKey = `${row.userId}/${id}.${head.format}`;
    const decoded = new DecodedAudioCheck((reason) => new EngineError('invalid_output', `The engine returned audio that does not decode: ${reason} Nothing was stored; try again, or ask an administrator to check the engine.`));
    let size: number;
    try {
      ({ size } = await this.storage.write(storageKey, pipeline(head.body, decoded, () => undefined), { maxBytes: this.config.spaceEngine.maxAudioBytes }));
    } catch (error) {
      if (error instanceof StorageLimitError) throw new EngineError('invalid_output', `The engine returned more than ${Math.round(this.config.spaceEngine.maxAudioBytes / 1024 / 1024)} MB of audio (MAX_AUDIO_BYTES); ask for a shorter duration.`);
      throw error;
    }
    const { peaks, loudness } = await this.tracks.analyseTake(storageKey, head.format, Buffer.isBuffer(audio.body) ? audio.body : undefined);
    const params = row.params;
    return {
      id,
      userId: row.userId,
      generationId: row.id,
      takeIndex: take,
      title: titleFromPrompt(row.prompt, take, params.variations),
      promptRaw: row.prompt,
      promptExpanded: audio.promptExpanded ?? null,
      params: { ...params, seed, take },
      engine: audio.renderedBy ?? row.engine ?? '',
      engineMeta: audio.metadata,
      durationSeconds: decoded.audio?.durationSeconds ?? params.duration,
      sampleRate: decoded.audio?.sampleRate ?? params.samplerate,
      channels: decoded.audio?.channels ?? 2,
      format: head.format,
      mimeType: head.mimeType,
      sizeBytes: size,
      storageKey,
      peaks,
      ...loudness,
    };
  }

  private onProgress(state: RunningJob, take: number, update: EngineProgress): void {
    const takes = state.row.params.variations;
    if (update.progress !== undefined) state.progress = Math.min(1, Math.max(state.progress, (take + clamp01(update.progress)) / takes));
    if (update.position !== undefined) state.enginePosition = update.position;
    if (update.etaSeconds !== undefined) state.etaSeconds = update.etaSeconds === null ? null : Math.round(update.etaSeconds);
    // At most ~10 events a second per job; the last update is never lost.
    const wait = state.lastEventAt + PROGRESS_EVENT_INTERVAL_MS - Date.now();
    if (state.pendingEvent) return;
    state.pendingEvent = setTimeout(
      () => {
        state.pendingEvent = undefined;
        state.lastEventAt = Date.now();
        const row: GenerationEntity = { ...state.row, progress: state.progress, enginePosition: state.enginePosition, etaSeconds: state.etaSeconds };
        void this.events.publish({ type: 'progress', job: toGenerationResponse(row) }).catch(() => undefined);
      },
      Math.max(0, wait),
    );
  }

  /** Renews the lease, saves progress, and notices a cancel request or a lost claim. */
  private async beat(state: RunningJob): Promise<void> {
    try {
      const { held, cancelRequested } = await this.generations.heartbeat(state.row.id, this.workerId, state);
      if (!held) state.controller.abort(new StopSignal('lost'));
      else if (cancelRequested) state.controller.abort(new StopSignal('cancel'));
    } catch (error) {
      this.logger.warn(`heartbeat of ${state.row.id} failed: ${(error as Error).message}`);
    }
  }

  private async settleFailure(state: RunningJob, job: QueueJob, error: unknown): Promise<void> {
    const { row, controller } = state;
    const stop = controller.signal.aborted && controller.signal.reason instanceof StopSignal ? controller.signal.reason.reason : undefined;
    if (stop === 'lost') return; // another worker or the API owns the row now
    if (stop === 'cancel') return this.finish(row, (tx) => this.generations.confirmCancel(row.id, this.workerId, 'Canceled while rendering.', tx));
    if (stop === 'shutdown') {
      // Not a failure of the job: hand it back (the attempt does not count) for another worker.
      await this.generations.requeue({ kind: 'shutdown', id: row.id, workerId: this.workerId });
      throw new RetryableJobError('released at shutdown');
    }
    const failure =
      stop === 'timeout'
        ? new EngineError('timeout', `The engine did not finish within ${this.config.generation.timeoutSeconds} seconds; try a shorter duration or try again later.`, true)
        : error instanceof EngineError
          ? error
          : new EngineError('engine_error', 'The engine failed unexpectedly; try again, and tell an administrator if it keeps happening.', true);
    if (!(error instanceof EngineError) && stop !== 'timeout') this.logger.error({ err: error, job: row.id }, 'engine failed unexpectedly');
    // The claim counted this attempt in the row, and only this worker changes it while running.
    const attempts = Math.max(job.attempt, row.attempts);
    if (failure.transient && attempts < job.maxAttempts) {
      const [requeued] = await this.generations.requeue({ kind: 'transient', id: row.id, workerId: this.workerId, code: failure.code, message: failure.message });
      if (requeued) {
        await this.publishStatus(requeued);
        throw new RetryableJobError(`${failure.code}: ${failure.message}`);
      }
      return;
    }
    await this.finish(row, (tx) => this.generations.fail(row.id, this.workerId, failure.code, failure.message, tx));
  }

  /** Ends the job by `end` and records its webhook event in the same transaction, then publishes its state. */
  private async finish(row: GenerationEntity, end: (tx: Sql) => Promise<GenerationEntity | null>): Promise<void> {
    const finished = await this.sql.transaction(async (tx) => {
      const ended = await end(tx);
      if (ended) await this.recordFinished(ended, tx);
      return ended;
    });
    // Not ours any more (taken over meanwhile): publish whatever state the row is in now.
    await this.publishStatus(finished ?? (await this.reload(row.id)));
  }

  /** Records the webhook event of a job that ended failed or canceled, in the transaction that ended it. */
  async recordFinished(job: GenerationEntity, tx: Sql): Promise<void> {
    if (job.status !== 'failed' && job.status !== 'canceled') return;
    const event: GenerationWebhookData = { job: toGenerationResponse(job), tracks: [] };
    await this.webhooks.record(tx, job.userId, job.status === 'failed' ? 'generation.failed' : 'generation.canceled', event, job.finishedAt ?? undefined);
  }

  /** Publishes the current state of a job changed outside a run (e.g. by the sweeper). */
  async announce(id: string): Promise<void> {
    await this.publishStatus(await this.reload(id));
  }

  /** Publishes a job's state; the track ids of a succeeded job are looked up unless given. */
  private async publishStatus(row: GenerationEntity, knownTrackIds?: string[]): Promise<void> {
    const trackIds = knownTrackIds ?? (row.status === 'succeeded' ? ((await this.tracks.idsByGeneration([row.id])).get(row.id) ?? []) : []);
    await this.events.publish({ type: 'status', job: toGenerationResponse(row, { trackIds }) }).catch((error: Error) => this.logger.warn(`could not publish: ${error.message}`));
  }

  private async removeFiles(keys: string[]): Promise<void> {
    for (const key of keys) await this.storage.delete(key).catch((error: Error) => this.logger.warn(`could not remove ${key}: ${error.message}`));
  }
}

const clamp01 = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/** Settles with the promise, or rejects as soon as the signal aborts (engines that ignore it cannot hold a worker). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The engine was started anyway (a cancel between takes): its own rejection, once it
    // sees the signal, must not go unhandled, which would end the process.
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}
