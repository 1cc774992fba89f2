import { handle_file } from '@gradio/client';
import { Logger } from '@nestjs/common';
import type { EngineDescription, HfTokenPolicy } from '@texttune/contracts';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream';
import { withTimeout } from '../../common/timeout';
import { DecodedAudioCheck, inspectAudio } from '../audio-intake';
import { EngineError, type EngineAudio, type EngineRequest, type EngineRunContext, type MusicEngine } from '../music-engine';
import { routeGradioClientConsole, whileClosing } from './client-console';
import { authAdvice, classifyConnectError, classifyStatusError, type SpaceErrorContext, type StatusError } from './errors';
import { downloadAudio, pickAudioOutput } from './outputs';
import { parseSpaceReference, resolveSpace, SpaceClient, SpaceConfigError, targetFromUrl, type SpaceTarget } from './space-client';
import { buildInputs, mappedSampling, SpacePlanError, planSpace, type ApiInfoLike, type SpacePlan } from './space-plan';
import type { UserSpaceToken, UserTokenSource } from './user-tokens';

export const GRADIO_ENGINE_ID = 'gradio';

export type { ReferenceAudio } from '../music-engine';

/** An {@link EngineRequest}; it may carry reference audio (for Spaces with an audio input). */
export type GradioEngineRequest = EngineRequest;

export interface GradioEngineOptions {
  /** HF_SPACE_ID: `owner/name` or the URL of a Gradio app */
  space: string;
  /** HF_API_TOKEN */
  token?: string;
  apiName?: string;
  model?: string;
  inputs?: Record<string, unknown>;
  /** GENERATION_TIMEOUT_SECONDS: the most one take may take, connect and download included */
  timeoutSeconds: number;
  /** MAX_AUDIO_BYTES */
  maxAudioBytes: number;
  /** ENGINE_FALLBACK=local: renders instead when the Space is unavailable or out of quota */
  fallback?: MusicEngine;
  /** how long `describe()` waits for a first connection before answering (default 5 s) */
  describeWaitMs?: number;
  /** a plain request to the Space gives up after this long (default 30 s) */
  requestTimeoutMs?: number;
  /** a download gives up when no byte arrives for this long (default 30 s) */
  downloadStallMs?: number;
  /** injected for tests of the Hugging Face API look-up */
  fetchImpl?: typeof fetch;
  /** HF_HUB_URL: where a Space id is looked up (default https://huggingface.co) */
  hubUrl?: string;
  /**
   * HF_TOKEN_POLICY: `server-fallback` (default): jobs of users without a token of their
   * own use `token`; `user-only`: `token` is never used and those jobs fail with space_auth.
   */
  tokenPolicy?: HfTokenPolicy;
  /** users' own tokens; EnginesModule attaches the store with {@link GradioEngine.useUserTokens} */
  userTokens?: UserTokenSource;
  /** connections kept for users' own tokens (default 16; busy ones are never closed) */
  maxUserConnections?: number;
  /** a user's connection unused this long is closed (default 10 min) */
  userIdleMs?: number;
}

interface Session {
  client: SpaceClient;
  target: SpaceTarget;
  plan: SpacePlan;
  connectMs: number;
  active: number;
  retired: boolean;
  connection: Connection;
}

type State =
  | { kind: 'idle' }
  | { kind: 'connecting'; promise: Promise<Session> }
  | { kind: 'connected'; session: Session }
  | { kind: 'failed'; error: EngineError; understood: false | 'not-understood'; at: number };

/** The token a job's requests carry, and whose it is. */
interface Credential {
  /** connections are kept per key: `server` (HF_API_TOKEN, or none), `user:<sha256 of the token>` */
  key: string;
  token?: string;
  owner: 'user' | 'server' | 'none';
  account?: string | null;
}

/**
 * The connection of one credential: a client whose every request carries that token
 * (and only to the Space's origin), so a user's token is never on another user's job,
 * stream or cancel. The server's is kept for good; users' are pooled (see `acquire`).
 */
class Connection {
  state: State = { kind: 'idle' };
  readonly sessions = new Set<Session>();
  /** whether a connection attempt has finished yet (succeeded or failed) */
  settledOnce = false;
  /** jobs using it right now (from before connecting until they end): such a connection is never closed by the pool */
  pending = 0;
  lastUsed = Date.now();

  constructor(
    readonly credential: Credential,
    readonly errorContext: SpaceErrorContext,
  ) {}
}

/** Thrown by `follow` when the job's signal fires. */
class Stopped extends Error {}

/** Thrown by `follow` for a status event with `stage: "error"`. */
class StatusFailure extends Error {
  constructor(readonly status: StatusError) {
    super(typeof status.message === 'string' ? status.message : 'status error');
  }
}

const RETRY_DESCRIBE_AFTER_MS = 15_000;
const CANCEL_TIMEOUT_MS = 5_000;

/**
 * Renders music with a Gradio app — a Hugging Face Space or a self-hosted app — through
 * @gradio/client: connects once and reuses the client, finds the endpoint and maps the
 * request onto its inputs (see space-plan.ts), follows the job's queue position and
 * progress, cancels the remote job when the user cancels or the time runs out, and
 * fetches the audio only from the Space's own origin (see outputs.ts).
 *
 * Tokens: a job of a user who set their own Hugging Face token runs on a
 * client of that token (one per token, pooled); the others on HF_API_TOKEN's client, or
 * fail with space_auth under HF_TOKEN_POLICY=user-only. Errors say whose token it was.
 */
export class GradioEngine implements MusicEngine {
  readonly id = GRADIO_ENGINE_ID;
  private readonly logger = new Logger('GradioEngine');
  /** HF_API_TOKEN's connection (no token under user-only): `describe()` and users without a token of their own */
  private readonly shared: Connection;
  /** users' own tokens' connections, least recently used first */
  private readonly users = new Map<string, Connection>();
  private userTokens?: UserTokenSource;
  private readonly userOnly: boolean;
  private closed = false;

  constructor(private readonly options: GradioEngineOptions) {
    routeGradioClientConsole();
    this.userOnly = options.tokenPolicy === 'user-only';
    const token = this.userOnly ? undefined : options.token || undefined;
    this.shared = this.connection({ key: 'server', token, owner: token ? 'server' : 'none' });
    this.userTokens = options.userTokens;
  }

  /** Jobs of users with a token of their own call the Space with it (EnginesModule attaches the store at boot). */
  useUserTokens(source: UserTokenSource): void {
    this.userTokens = source;
  }

  private get errorContext(): SpaceErrorContext {
    return this.shared.errorContext;
  }

  private connection(credential: Credential): Connection {
    return new Connection(credential, {
      space: this.options.space.trim(),
      hasToken: !!credential.token,
      credential: credential.owner,
      account: credential.account,
      userOnly: this.userOnly,
    });
  }

  private get timeoutMs(): number {
    return this.options.timeoutSeconds * 1000;
  }

  // --- connection -------------------------------------------------------------------

  /** The connection's session, connecting (once, shared by its jobs) when needed. */
  private session(conn: Connection): Promise<Session> {
    if (this.closed) return Promise.reject(new EngineError('engine_error', 'The Gradio engine is shutting down.'));
    switch (conn.state.kind) {
      case 'connected':
        return Promise.resolve(conn.state.session);
      case 'connecting':
        return conn.state.promise;
      default: {
        const promise = this.connect(conn).then(
          (session) => {
            conn.settledOnce = true;
            if (this.closed) {
              session.client.close();
              throw new EngineError('engine_error', 'The Gradio engine is shutting down.');
            }
            conn.state = { kind: 'connected', session };
            conn.sessions.add(session);
            return session;
          },
          (error: unknown) => {
            conn.settledOnce = true;
            const understood = error instanceof SpacePlanError || error instanceof SpaceConfigError ? ('not-understood' as const) : false;
            const engineError =
              understood === 'not-understood'
                ? new EngineError('space_error', `TextTune cannot use the Space ${conn.errorContext.space}: ${(error as Error).message}.`)
                : classifyConnectError(error, undefined, conn.errorContext);
            conn.state = { kind: 'failed', error: engineError, understood, at: Date.now() };
            throw engineError;
          },
        );
        conn.state = { kind: 'connecting', promise };
        return promise;
      }
    }
  }

  private async connect(conn: Connection): Promise<Session> {
    const started = performance.now();
    const limitMs = Math.min(this.timeoutMs, 60_000);
    const { token, owner } = conn.credential;
    const target = await resolveSpace(this.options.space, token, AbortSignal.timeout(limitMs), this.options.fetchImpl, {
      hubUrl: this.options.hubUrl,
      authAdvice: authAdvice(conn.errorContext),
    });
    const opening = SpaceClient.open(target, { token, requestTimeoutMs: this.options.requestTimeoutMs ?? 30_000 });
    let client: SpaceClient;
    try {
      client = await withTimeout(opening, limitMs, `no answer within ${Math.round(limitMs / 1000)} s`);
    } catch (error) {
      opening.then((late) => late.close()).catch(() => undefined);
      throw error;
    }
    try {
      const api = client.api_info as ApiInfoLike | undefined;
      if (!api || !client.config) {
        throw Object.assign(new Error('the Space did not describe its API (GET info failed)'), { httpFailure: client.lastFailure(0) });
      }
      const plan = planSpace(api, client.config, { apiName: this.options.apiName, model: this.options.model, inputs: this.options.inputs });
      const session: Session = { client, target, plan, connectMs: Math.round(performance.now() - started), active: 0, retired: false, connection: conn };
      this.logger.log(
        `connected to ${target.baseUrl} (Gradio ${plan.gradioVersion ?? '?'}) in ${session.connectMs} ms ${owner === 'user' ? "with a user's own token" : owner === 'server' ? 'with HF_API_TOKEN' : 'without a token'}: ` +
          `${String(plan.endpoint)} with ${plan.inputs.map((i) => `${i.label}<-${i.source}`).join(', ')}`,
      );
      return session;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  /** Stops using a session (after a connection-level failure); closes it once idle. */
  private retire(session: Session): void {
    const conn = session.connection;
    if (!session.retired) {
      session.retired = true;
      if (conn.state.kind === 'connected' && conn.state.session === session) conn.state = { kind: 'idle' };
    }
    if (session.active === 0) {
      session.client.close();
      conn.sessions.delete(session);
    }
  }

  /**
   * The connection for a user's own token, marked in use (`release` when done). Kept
   * per token, least recently used first: beyond `maxUserConnections`, or unused for
   * `userIdleMs`, connections no job is using are closed.
   */
  private acquire(credential: Credential): Connection {
    let conn = this.users.get(credential.key);
    if (conn) this.users.delete(credential.key);
    else conn = this.connection(credential);
    this.users.set(credential.key, conn);
    conn.pending++;
    conn.lastUsed = Date.now();
    const max = this.options.maxUserConnections ?? 16;
    const idleBefore = Date.now() - (this.options.userIdleMs ?? 10 * 60_000);
    let excess = this.users.size - max;
    for (const [key, other] of this.users) {
      if (other.pending > 0 || other.state.kind === 'connecting') continue;
      if (excess > 0 || other.lastUsed < idleBefore) {
        this.users.delete(key);
        excess--;
        for (const session of other.sessions) this.retire(session);
        other.state = { kind: 'idle' };
      }
    }
    return conn;
  }

  private release(conn: Connection): void {
    conn.pending--;
    conn.lastUsed = Date.now();
  }

  /** Closes every connection (at shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    const connections = [this.shared, ...this.users.values()];
    await Promise.all(
      connections.map(async (conn) => {
        if (conn.state.kind === 'connecting') await conn.state.promise.catch(() => undefined);
      }),
    );
    // Jobs still running see their streams abort: the client's reports of that are expected now.
    await whileClosing(async () => {
      for (const conn of connections) {
        for (const session of conn.sessions) session.client.close();
        conn.sessions.clear();
        conn.state = { kind: 'idle' };
      }
    });
    this.users.clear();
  }

  /**
   * Whose token a job's requests carry: the user's own when they set one; else
   * HF_API_TOKEN (or none), unless HF_TOKEN_POLICY=user-only, where the job fails.
   */
  private async credentialFor(userId: string): Promise<Credential> {
    let own: UserSpaceToken | null = null;
    if (this.userTokens && userId) {
      try {
        own = await this.userTokens.tokenFor(userId);
      } catch (error) {
        if (error instanceof EngineError) throw error;
        throw new EngineError('engine_error', 'Could not read your Hugging Face token setting (the database did not answer). The job will be retried.', true);
      }
    }
    if (own) return { key: `user:${createHash('sha256').update(own.token).digest('hex')}`, token: own.token, owner: 'user', account: own.account };
    if (this.userOnly) {
      throw new EngineError(
        'space_auth',
        `This server calls the Space ${this.errorContext.space} with each person's own Hugging Face token, and you have not set yours: ` +
          'add a Hugging Face access token (https://huggingface.co/settings/tokens) in Settings, then try again.',
      );
    }
    return this.shared.credential;
  }

  // --- description --------------------------------------------------------------------

  /**
   * What the engine knows of the Space. The first call connects (waiting up to
   * `describeWaitMs`), so the endpoint and mapping show before the first job; later
   * reconnects (after a failure, at most every 15 s) happen in the background, so a
   * Space that is down never slows `POST /v1/generations` or the health check.
   */
  async describe(): Promise<EngineDescription> {
    const conn = this.shared;
    const stale = conn.state.kind === 'failed' && Date.now() - conn.state.at > RETRY_DESCRIBE_AFTER_MS;
    if (conn.state.kind === 'idle' || stale) this.session(conn).catch(() => undefined);
    if (conn.state.kind === 'connecting' && !conn.settledOnce) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([conn.state.promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, this.options.describeWaitMs ?? 5000)))]);
      clearTimeout(timer);
    }
    return this.description();
  }

  private label(): string {
    try {
      const parsed = parseSpaceReference(this.options.space);
      return 'spaceId' in parsed ? `Hugging Face Space ${parsed.spaceId}` : `Gradio app at ${targetFromUrl(this.options.space, parsed.url).baseUrl}`;
    } catch {
      return `Gradio app ${this.options.space}`;
    }
  }

  private description(): EngineDescription {
    const state = this.shared.state;
    const base = {
      id: this.id,
      kind: 'gradio' as const,
      label: this.label(),
      default: false,
    };
    const common = {
      space: this.options.space,
      fallback: this.options.fallback?.id ?? null,
      timeout_seconds: this.options.timeoutSeconds,
      max_audio_bytes: this.options.maxAudioBytes,
      hf_token_policy: this.userOnly ? 'user-only' : 'server-fallback',
    };
    if (state.kind !== 'connected') {
      const notUnderstood = state.kind === 'failed' && state.understood === 'not-understood';
      return {
        ...base,
        ready: !notUnderstood,
        reason: notUnderstood ? state.error.message : null,
        supports: { samplingParams: [], referenceAudio: false, needsEnglish: true, maxDurationSeconds: null, loop: false },
        details: {
          ...common,
          state: state.kind === 'failed' ? (notUnderstood ? 'not_understood' : 'unreachable') : state.kind,
          ...(state.kind === 'failed' ? { error: { code: state.error.code, message: state.error.message, at: new Date(state.at).toISOString() } } : {}),
        },
      };
    }
    const { plan, target } = state.session;
    const duration = plan.inputs.find((i) => i.source === 'duration');
    return {
      ...base,
      ready: true,
      reason: null,
      supports: {
        samplingParams: mappedSampling(plan),
        referenceAudio: plan.inputs.some((i) => i.source === 'reference'),
        needsEnglish: true,
        maxDurationSeconds: duration?.maximum ?? null,
        loop: false,
      },
      details: {
        ...common,
        state: 'connected',
        url: target.baseUrl,
        gradio_version: plan.gradioVersion,
        api_prefix: plan.apiPrefix,
        endpoint: plan.endpoint,
        fn_index: plan.fnIndex,
        endpoints: plan.candidates,
        inputs: plan.inputs.map((i) => ({
          label: i.label,
          parameter: i.parameter,
          component: i.component,
          source: i.source,
          matched_by: i.matchedBy,
          ...(i.source === 'fixed' || i.source === 'model' ? { value: i.value ?? null } : {}),
          ...(i.source === 'default' ? { value: i.hasDefault ? i.default : null } : {}),
          ...(i.minimum !== undefined ? { minimum: i.minimum } : {}),
          ...(i.maximum !== undefined ? { maximum: i.maximum } : {}),
          ...(i.choices ? { choices: i.choices } : {}),
        })),
        outputs: plan.outputs,
        fixed_duration: duration ? null : 'the Space has no duration input; it decides the length',
      },
    };
  }

  // --- generation ---------------------------------------------------------------------

  async generate(request: GradioEngineRequest, context: EngineRunContext): Promise<EngineAudio> {
    try {
      return await this.generateOnSpace(request, context);
    } catch (error) {
      const failure = error instanceof EngineError ? error : new EngineError('engine_error', `The Gradio engine failed unexpectedly: ${(error as Error).message}`, true);
      const fallback = this.options.fallback;
      if (fallback && !context.signal.aborted && (failure.code === 'space_unavailable' || failure.code === 'space_quota')) {
        this.logger.warn(`${failure.code} (${failure.message}); rendering with the ${fallback.id} engine instead (ENGINE_FALLBACK)`);
        context.onProgress({ progress: 0, position: null, etaSeconds: null });
        const audio = await fallback.generate(request, context);
        return {
          ...audio,
          renderedBy: audio.renderedBy ?? fallback.id,
          metadata: {
            ...audio.metadata,
            fallback: { engine: fallback.id, instead_of: this.id, space: this.options.space, code: failure.code, reason: failure.message },
          },
        };
      }
      throw failure;
    }
  }

  private async generateOnSpace(request: GradioEngineRequest, context: EngineRunContext): Promise<EngineAudio> {
    const started = performance.now();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([context.signal, timeout]);
    const stopped = (): EngineError =>
      context.signal.aborted
        ? new EngineError('canceled', 'The render was stopped.')
        : new EngineError('timeout', `The Space ${this.errorContext.space} did not finish within ${this.options.timeoutSeconds} seconds; try a shorter duration or try again later.`, true);

    const credential = await this.credentialFor(request.userId);
    const conn = credential.owner === 'user' ? this.acquire(credential) : this.shared;
    if (conn === this.shared) conn.pending++;
    try {
      return await this.renderOn(conn, request, context, { started, signal, timeout, stopped });
    } finally {
      this.release(conn);
    }
  }

  private async renderOn(
    conn: Connection,
    request: GradioEngineRequest,
    context: EngineRunContext,
    { started, signal, timeout, stopped }: { started: number; signal: AbortSignal; timeout: AbortSignal; stopped: () => EngineError },
  ): Promise<EngineAudio> {
    const errorContext = conn.errorContext;
    const session = await raceSignal(this.session(conn), signal).catch((error: unknown) => {
      throw error instanceof Stopped ? stopped() : error;
    });
    const connectedAt = performance.now();
    session.active++;
    let keepSession = true;
    try {
      const { plan } = session;
      const reference = request.referenceAudio ?? null;
      if (reference && !plan.inputs.some((i) => i.source === 'reference')) {
        throw new EngineError('engine_error', `The Space ${errorContext.space} has no audio input, so it cannot use reference audio.`);
      }
      const built = buildInputs(plan, {
        prompt: request.prompt,
        durationSeconds: request.durationSeconds,
        seed: request.seed,
        sampleRate: request.sampleRate,
        topK: request.sampling.topK,
        topP: request.sampling.topP,
        temperature: request.sampling.temperature,
        cfg: request.sampling.cfg,
        reference: reference ? handle_file(reference.body) : null,
      });
      const since = Date.now();
      let outcome: FollowOutcome;
      try {
        outcome = await this.follow(session, built.data, signal, context);
      } catch (error) {
        if (error instanceof Stopped) {
          keepSession = !timeout.aborted; // a stream that hung may hang the next job too
          throw stopped();
        }
        if (!(error instanceof StatusFailure)) throw error;
        const failure = classifyStatusError(error.status, session.client.lastFailure(since), errorContext);
        if (failure.code !== 'space_error' && failure.code !== 'space_quota') keepSession = false;
        throw failure;
      }
      const picked = pickAudioOutput(plan.outputs, outcome.data);
      if (!picked) {
        throw new EngineError('invalid_output', `The Space ${errorContext.space} finished without returning audio (outputs: ${describeOutputs(outcome.data)}); check HF_SPACE_API_NAME.`);
      }
      context.onProgress({ progress: 0.97, position: null, etaSeconds: null });
      const downloaded = await downloadAudio(picked.source, {
        baseUrl: session.client.config?.root ?? session.target.baseUrl,
        apiPrefix: session.client.api_prefix,
        origin: session.target.origin,
        token: conn.credential.token,
        authAdvice: authAdvice(errorContext),
        maxBytes: this.options.maxAudioBytes,
        signal,
        stallMs: this.options.downloadStallMs ?? 30_000,
        space: errorContext.space,
      });
      const head = await inspectAudio(downloaded.body).catch((error: unknown) => {
        throw error instanceof EngineError ? error : signal.aborted ? stopped() : new EngineError('space_unavailable', `The download from the Space ${errorContext.space} broke off (${(error as Error).message}). The job will be retried.`, true);
      });
      if (!head) {
        throw new EngineError(
          'invalid_output',
          `The Space ${errorContext.space} returned a file that is not audio (claimed ${downloaded.claimedMimeType ?? 'no type'}); nothing was stored. Check that the Space's endpoint returns audio.`,
        );
      }
      // The bytes are decoded as they are stored; audio that does not decode fails the job there.
      const decoded = new DecodedAudioCheck(
        (reason) => new EngineError('invalid_output', `The Space ${errorContext.space} returned audio that does not decode: ${reason} Nothing was stored. Check that the Space's endpoint returns audio.`),
      );
      const total = performance.now() - started;
      return {
        body: pipeline(head.body, decoded, () => undefined),
        mimeType: head.mimeType,
        metadata: {
          space: this.options.space,
          space_url: session.target.baseUrl,
          hf_token: conn.credential.owner,
          gradio_version: plan.gradioVersion,
          endpoint: plan.endpoint,
          event_id: outcome.eventId,
          inputs: built.sent,
          mapping: Object.fromEntries(plan.inputs.map((i) => [i.label, i.source])),
          clamped: built.adjustments,
          ...(reference ? { reference_audio: { bytes: reference.body.length, sha256: createHash('sha256').update(reference.body).digest('hex'), input: plan.inputs.find((i) => i.source === 'reference')?.label } } : {}),
          output: {
            label: picked.slot.label,
            component: picked.slot.component,
            via: downloaded.via,
            url: downloaded.url,
            claimed_mime_type: downloaded.claimedMimeType,
            format: head.format,
            declared_bytes: downloaded.declaredBytes,
          },
          queue: { max_position: outcome.maxPosition, waited_ms: outcome.queueMs === null ? null : Math.round(outcome.queueMs) },
          timings_ms: {
            connect: Math.round(connectedAt - started),
            space_processing: outcome.processingMs === null ? null : Math.round(outcome.processingMs),
            submit_to_result: Math.round(outcome.totalMs),
            download_headers: Math.round(downloaded.headersMs),
            total_before_storage: Math.round(total),
          },
        },
      };
    } catch (error) {
      if (error instanceof EngineError && (error.code === 'space_unavailable' || error.code === 'space_auth')) keepSession = false;
      throw error;
    } finally {
      session.active--;
      if (!keepSession || session.retired) this.retire(session);
    }
  }

  /** Submits the job and follows its events until data + complete, an error, or the signal. */
  private async follow(session: Session, data: unknown[], signal: AbortSignal, context: EngineRunContext): Promise<FollowOutcome> {
    const submitted = performance.now();
    const job = session.client.submit(session.plan.endpoint, data);
    const iterator = job[Symbol.asyncIterator]();
    let abortListener: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      abortListener = () => reject(new Stopped());
      if (signal.aborted) abortListener();
      else signal.addEventListener('abort', abortListener, { once: true });
    });
    aborted.catch(() => undefined);
    let result: unknown[] | null = null;
    let processStartedAt: number | null = null;
    let processEta: number | null = null;
    let maxPosition: number | null = null;
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), aborted]);
        if (next.done) break;
        const event = next.value;
        if (event.type === 'data') {
          result = Array.isArray(event.data) ? event.data : [event.data];
          continue;
        }
        if (event.type !== 'status') continue;
        if (event.stage === 'error') throw new StatusFailure(event);
        if (event.stage === 'complete') break;
        const update = event as { position?: number; eta?: number; progress_data?: { index: number | null; length: number | null; progress: number | null }[] | null; original_msg?: string };
        if (update.original_msg === 'process_starts') {
          processStartedAt = performance.now();
          processEta = typeof update.eta === 'number' ? update.eta : null;
          context.onProgress({ position: null, etaSeconds: processEta, progress: 0 });
        } else if (typeof update.position === 'number' && processStartedAt === null) {
          const position = update.position + 1;
          maxPosition = Math.max(maxPosition ?? 0, position);
          context.onProgress({ position, etaSeconds: typeof update.eta === 'number' ? update.eta : null });
        }
        const step = update.progress_data?.[0];
        if (step) {
          const fraction = typeof step.progress === 'number' ? step.progress : step.index !== null && step.length ? step.index / step.length : null;
          if (fraction !== null && Number.isFinite(fraction)) {
            const elapsed = processStartedAt === null ? 0 : (performance.now() - processStartedAt) / 1000;
            const eta = fraction > 0.05 ? (elapsed * (1 - fraction)) / fraction : processEta !== null ? Math.max(0, processEta - elapsed) : null;
            context.onProgress({ progress: Math.min(0.95, fraction * 0.95), position: null, etaSeconds: eta });
          }
        }
      }
    } catch (error) {
      if (error instanceof Stopped) {
        void iterator.return?.();
        await this.cancelRemote(job);
      }
      throw error;
    } finally {
      if (abortListener) signal.removeEventListener('abort', abortListener);
    }
    if (!result) {
      throw new EngineError('space_unavailable', `The Space ${this.errorContext.space} ended the job without a result. The job will be retried.`, true);
    }
    const completedAt = performance.now();
    return {
      data: result,
      eventId: job.event_id() || null,
      maxPosition,
      queueMs: processStartedAt === null ? null : processStartedAt - submitted,
      processingMs: processStartedAt === null ? null : completedAt - processStartedAt,
      totalMs: completedAt - submitted,
    };
  }

  /** Asks the Space to stop a job we gave up on (with the token: the client's own cancel goes through our fetch). */
  private async cancelRemote(job: ReturnType<SpaceClient['submit']>): Promise<void> {
    try {
      const eventId = await withTimeout(job.wait_for_id(), CANCEL_TIMEOUT_MS);
      if (!eventId) return;
      await withTimeout(job.cancel(), CANCEL_TIMEOUT_MS);
      this.logger.log(`asked the Space to cancel job ${eventId}`);
    } catch (error) {
      this.logger.warn(`could not cancel the Space's job: ${(error as Error).message}`);
    }
  }
}

interface FollowOutcome {
  data: unknown[];
  eventId: string | null;
  maxPosition: number | null;
  queueMs: number | null;
  processingMs: number | null;
  totalMs: number;
}

function describeOutputs(data: unknown[]): string {
  return data.map((d) => (d === null ? 'null' : Array.isArray(d) ? 'list' : typeof d)).join(', ') || 'none';
}

/** Rejects with {@link Stopped} when the signal fires first. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Stopped());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Stopped());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}
