/**
 * The Gradio queue as the sse_v3 protocol exposes it.
 *
 * - `POST queue/join` creates an event (`{event_id}`) in the session's pending set and
 *   starts the job at once (there is no real contention; `slow` fakes a queue).
 * - Messages for a session are buffered until `GET queue/data?session_hash=` attaches,
 *   then written as `data: <json>\n\n`. Every message carries `event_id`.
 * - Order per job: `estimation` (rank, queue_size, rank_eta) -> `process_starts` (eta)
 *   -> `progress` (progress_data) ... -> `process_completed` (output, success, title).
 * - After a `process_completed` leaves, the event is no longer pending; once none is,
 *   the server sends `{"msg": "close_stream"}` and ends the response (what makes it
 *   "v3": the client keeps one stream per session and only the server closes it).
 * - Idle streams get `{"msg": "heartbeat", "event_id": null}` every `heartbeatMs`.
 * - A reader that disconnects cancels the session's unfinished jobs, as Gradio's
 *   `clean_events` does.
 * - `POST cancel` stops the job and, if the event is still pending, sends
 *   `process_completed` with `output: {}` and `success: true` (exactly what Gradio sends;
 *   @gradio/client 2.7 then fails on the empty output and reports
 *   "An Unexpected Error Occurred!").
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { ComponentValueError, GradioError, type AppDef, type EndpointDef, type RunContext } from './apps';
import { errorOutput, jobFailure, METADATA_URL, NOT_AUDIO_BYTES, truncatedWav, zeroChannelWav } from './failures';
import { FileStore, type StoredFile } from './file-store';
import type { FakeSpaceSettings, FileDataJson, Json, JsonObject } from './types';
import { isJsonObject } from './types';
import { renderTrack, sha256Hex, type RenderedTrack } from './wav-render';

export type JobStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'dropped';

export interface JobRecord {
  eventId: string;
  sessionHash: string;
  fnIndex: number;
  apiName: string | null;
  app: string;
  fail: FakeSpaceSettings['fail'];
  /** the join payload's `data` as received */
  data: Json[];
  /** the same values keyed by input component label ("Input Text", "Duration", ...) */
  inputsByLabel: { [label: string]: Json };
  status: JobStatus;
  /** the message that went out in `process_completed.output.error`, or the server-side reason */
  error: string | null;
  outputs: Json[] | null;
  /** sha256 of every WAV rendered for this job (before any failure-mode corruption) */
  renderedSha256: string[];
  /** paths of files stored for this job */
  files: string[];
  /** when the join arrived, the job left the queue (`process_starts`) and `process_completed` went out (ms since the epoch, fractional) */
  timings: { joinedAt: number; startedAt: number | null; completedAt: number | null };
}

/** Milliseconds since the epoch with sub-millisecond resolution. */
const nowMs = (): number => performance.timeOrigin + performance.now();

interface Session {
  hash: string;
  buffer: JsonObject[];
  pending: Set<string>;
  stream: ServerResponse | null;
  heartbeat: NodeJS.Timeout | null;
}

interface RunningJob {
  record: JobRecord;
  abort: AbortController;
}

export interface JoinRequest {
  sessionHash: string;
  fnIndex: number;
  data: Json[];
  /** `<root><prefix>` used to build output file URLs */
  fileBase: string;
}

export class QueueEngine {
  private readonly sessions = new Map<string, Session>();
  private readonly running = new Map<string, RunningJob>();
  private records: JobRecord[] = [];

  constructor(
    private readonly files: FileStore,
    private readonly getSettings: () => FakeSpaceSettings,
    private readonly getApp: () => AppDef,
  ) {}

  jobs(): JobRecord[] {
    return this.records.map((r) => ({ ...r, timings: { ...r.timings } }));
  }

  clearRecords(): void {
    this.records = [];
  }

  hasSession(hash: string): boolean {
    return this.sessions.has(hash);
  }

  /** Starts a job; returns its event id (a 32-hex uuid like Gradio's `uuid4().hex`). */
  join(request: JoinRequest, endpoint: EndpointDef): string {
    const eventId = randomBytes(16).toString('hex');
    const app = this.getApp();
    const settings = { ...this.getSettings() };
    const inputsByLabel = labelInputs(app, endpoint, request.data);
    const record: JobRecord = {
      eventId,
      sessionHash: request.sessionHash,
      fnIndex: endpoint.id,
      apiName: endpoint.apiName,
      app: app.name,
      fail: settings.fail,
      data: request.data,
      inputsByLabel,
      status: 'running',
      error: null,
      outputs: null,
      renderedSha256: [],
      files: [],
      timings: { joinedAt: nowMs(), startedAt: null, completedAt: null },
    };
    this.records.push(record);
    const session = this.session(request.sessionHash);
    session.pending.add(eventId);
    const job: RunningJob = { record, abort: new AbortController() };
    this.running.set(eventId, job);
    void this.runJob(job, endpoint, app, settings, request.fileBase).finally(() => this.running.delete(eventId));
    return eventId;
  }

  /**
   * `POST <prefix>/run/<api_name>` for a `queue=False` dependency: runs inline, no SSE.
   * Failure modes do not apply (in the real demos these are cheap UI toggles).
   */
  async runDirect(endpoint: EndpointDef, sessionHash: string, data: Json[], fileBase: string): Promise<{ data: Json[] } | { error: string | null }> {
    const app = this.getApp();
    const settings = { ...this.getSettings(), fail: 'none' as const };
    const record: JobRecord = {
      eventId: randomBytes(16).toString('hex'),
      sessionHash,
      fnIndex: endpoint.id,
      apiName: endpoint.apiName,
      app: app.name,
      fail: settings.fail,
      data,
      inputsByLabel: labelInputs(app, endpoint, data),
      status: 'running',
      error: null,
      outputs: null,
      renderedSha256: [],
      files: [],
      timings: { joinedAt: nowMs(), startedAt: null, completedAt: null },
    };
    this.records.push(record);
    try {
      const inputs = this.preprocess(endpoint, app, data);
      const outputs = await endpoint.run(this.context(record, inputs, settings, fileBase, 0, () => undefined, new AbortController().signal));
      record.status = 'completed';
      record.outputs = outputs;
      record.timings.completedAt = nowMs();
      return { data: outputs };
    } catch (err) {
      record.status = 'failed';
      record.error = err instanceof Error ? err.message : String(err);
      return { error: err instanceof GradioError || err instanceof ComponentValueError ? err.message : null };
    }
  }

  /** Attaches the `queue/data` SSE response of a session; flushes what was buffered. */
  attachStream(hash: string, res: ServerResponse): void {
    const session = this.session(hash);
    if (session.stream) this.detach(session, false);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    session.stream = res;
    session.heartbeat = setInterval(() => this.write(session, { msg: 'heartbeat', event_id: null }), this.getSettings().heartbeatMs);
    res.on('close', () => {
      if (session.stream !== res) return;
      this.detach(session, false);
      // the reader went away: Gradio's clean_events drops the session's unfinished events
      for (const eventId of session.pending) this.stop(eventId, 'cancelled', 'client disconnected from queue/data');
      session.pending.clear();
    });
    this.flush(session);
  }

  /** `POST cancel {event_id, session_hash, fn_index}` */
  cancel(eventId: string, sessionHash: string): void {
    this.stop(eventId, 'cancelled', 'cancelled by client');
    const session = this.sessions.get(sessionHash);
    if (session && session.pending.has(eventId)) {
      this.deliver(session, { msg: 'process_completed', event_id: eventId, output: {}, success: true, title: null });
    }
  }

  /** Stops every job and ends every stream (server shutdown). */
  shutdown(): void {
    for (const eventId of [...this.running.keys()]) this.stop(eventId, 'cancelled', 'server stopped');
    for (const session of this.sessions.values()) this.detach(session, true);
    this.sessions.clear();
  }

  private session(hash: string): Session {
    let session = this.sessions.get(hash);
    if (!session) {
      session = { hash, buffer: [], pending: new Set(), stream: null, heartbeat: null };
      this.sessions.set(hash, session);
    }
    return session;
  }

  private stop(eventId: string, status: JobStatus, reason: string): void {
    const job = this.running.get(eventId);
    if (!job || job.record.status !== 'running') return;
    job.record.status = status;
    job.record.error = reason;
    job.abort.abort();
  }

  private detach(session: Session, end: boolean): void {
    if (session.heartbeat) clearInterval(session.heartbeat);
    session.heartbeat = null;
    const stream = session.stream;
    session.stream = null;
    if (end && stream && !stream.writableEnded) stream.end();
  }

  private write(session: Session, msg: JsonObject): void {
    session.stream?.write(`data: ${JSON.stringify(msg)}\n\n`);
  }

  private deliver(session: Session, msg: JsonObject): void {
    session.buffer.push(msg);
    this.flush(session);
  }

  private flush(session: Session): void {
    while (session.stream && session.buffer.length > 0) {
      const msg = session.buffer.shift() as JsonObject;
      this.write(session, msg);
      if (msg.msg === 'process_completed' && typeof msg.event_id === 'string') {
        session.pending.delete(msg.event_id);
        if (session.pending.size === 0) {
          this.write(session, { msg: 'close_stream', event_id: null });
          this.detach(session, true);
        }
      }
    }
  }

  private async runJob(job: RunningJob, endpoint: EndpointDef, app: AppDef, settings: FakeSpaceSettings, fileBase: string): Promise<void> {
    const { record } = job;
    const { signal } = job.abort;
    const session = this.session(record.sessionHash);
    const send = (msg: JsonObject): void => {
      if (!signal.aborted) this.deliver(session, { ...msg, event_id: record.eventId });
    };
    const complete = (output: JsonObject, success: boolean, title: string | null = null): void => {
      record.timings.completedAt = nowMs();
      send({ msg: 'process_completed', output, success, title });
    };
    const slow = settings.fail === 'slow';
    const queueSteps = slow ? 3 : 1;
    const stepMs = slow ? Math.max(1, Math.floor(settings.slowMs / (queueSteps + 4))) : settings.delayMs;
    try {
      for (let rank = queueSteps - 1; rank >= 0; rank--) {
        send({ msg: 'estimation', rank, queue_size: queueSteps, rank_eta: ((rank + 1) * stepMs * 5) / 1000 });
        if (slow) await sleep(stepMs, undefined, { signal });
      }
      record.timings.startedAt = nowMs();
      send({ msg: 'process_starts', eta: (stepMs * 5) / 1000, progress_data: null });
      if (settings.fail === 'drop') {
        // wait for the reader, then cut the TCP connection without close_stream
        for (let i = 0; i < 100 && !session.stream; i++) await sleep(10, undefined, { signal });
        await sleep(stepMs, undefined, { signal });
        record.status = 'dropped';
        record.error = 'connection dropped after process_starts';
        session.stream?.socket?.destroy();
        return;
      }
      const inputs = this.preprocess(endpoint, app, record.data);
      const failure = jobFailure(settings);
      if (failure) throw failure.message === null ? new Error('RuntimeError: simulated crash') : new GradioError(failure.message, failure.title);
      const ctx = this.context(record, inputs, settings, fileBase, stepMs, send, signal);
      const data = await endpoint.run(ctx);
      if (signal.aborted) return;
      record.status = 'completed';
      record.outputs = data;
      complete({ data, is_generating: false, duration: 0.1, average_duration: 0.1, render_config: null, changed_state_ids: [] }, true);
    } catch (err) {
      if (signal.aborted) return;
      record.status = 'failed';
      if (err instanceof GradioError) {
        record.error = err.message;
        complete(errorOutput(err.message, err.title), false, err.title);
      } else if (err instanceof ComponentValueError) {
        record.error = err.message;
        complete(errorOutput(err.message, 'Error'), false, 'Error');
      } else {
        // an ordinary exception with show_error=False: the message stays on the server
        record.error = err instanceof Error ? err.message : String(err);
        complete(errorOutput(null, 'Error'), false);
      }
    }
  }

  /** Gradio's input check and each component's preprocess, in input order. */
  private preprocess(endpoint: EndpointDef, app: AppDef, data: Json[]): Json[] {
    if (data.length < endpoint.inputs.length) {
      // a plain ValueError in Gradio: with show_error=False the client only sees "An error occurred"
      throw new Error(
        `An event handler (${endpoint.fnName}) didn't receive enough input values (needed: ${endpoint.inputs.length}, got: ${data.length}).`,
      );
    }
    return endpoint.inputs.map((id, i) => {
      const component = app.components.find((c) => c.id === id);
      return component ? component.preprocess(data[i] ?? null) : (data[i] ?? null);
    });
  }

  private context(
    record: JobRecord,
    inputs: Json[],
    settings: FakeSpaceSettings,
    fileBase: string,
    stepMs: number,
    send: (msg: JsonObject) => void,
    signal: AbortSignal,
  ): RunContext {
    const fileData = (file: StoredFile, size: number | null): FileDataJson => ({
      path: file.path,
      url: `${fileBase}/file=${file.path}`,
      size,
      orig_name: file.origName,
      mime_type: file.mimeType,
      is_stream: false,
      meta: { _type: 'gradio.FileData' },
    });
    const store = (bytes: Buffer, name: string, mime: string, chunked = false): StoredFile => {
      const file = this.files.put(bytes, name, mime, 'output', chunked);
      record.files.push(file.path);
      return file;
    };
    return {
      inputs,
      progress: async (index, length, desc = null) => {
        send({ msg: 'progress', progress_data: [{ index, length, unit: 'steps', progress: null, desc }] });
        await sleep(stepMs, undefined, { signal });
      },
      audioOutput: (track: RenderedTrack, name: string): Json => {
        record.renderedSha256.push(track.sha256);
        switch (settings.fail) {
          case 'data-url':
            return `data:audio/wav;base64,${track.wav.toString('base64')}`;
          case 'foreign-url':
          case 'metadata-url': {
            const file = store(track.wav, name, 'audio/wav');
            const url = settings.fail === 'foreign-url' ? `${settings.foreignBaseUrl.replace(/\/$/, '')}/x.wav` : METADATA_URL;
            return { ...fileData(file, track.wav.length), url };
          }
          case 'oversize': {
            // a real WAV just over the limit (mono 16-bit: 2 bytes a frame), served chunked with size null
            const sampleRate = 32000;
            const seconds = Math.ceil(settings.oversizeBytes / (sampleRate * 2)) + 1;
            const big = renderTrack({ prompt: 'oversize', seed: track.sha256, durationSeconds: seconds, sampleRate, channels: 1 });
            return fileData(store(big.wav, name, 'audio/wav', true), null);
          }
          case 'not-audio':
            return fileData(store(NOT_AUDIO_BYTES, name, 'audio/wav'), NOT_AUDIO_BYTES.length);
          case 'bad-audio':
          case 'truncated-audio': {
            const bytes = settings.fail === 'bad-audio' ? zeroChannelWav(track.wav) : truncatedWav(track.wav);
            return fileData(store(bytes, name, 'audio/wav'), bytes.length);
          }
          default:
            return fileData(store(track.wav, name, 'audio/wav'), track.wav.length);
        }
      },
      videoOutput: (track: RenderedTrack, name: string): Json => {
        const file = store(placeholderMp4(track), name, 'video/mp4');
        const data = fileData(file, file.bytes.length);
        return { video: settings.fail === 'foreign-url' ? { ...data, url: METADATA_URL } : data, subtitles: null };
      },
      inputFile: (value: Json) => {
        if (value === null) return null;
        const path = isJsonObject(value) && typeof value.path === 'string' ? value.path : typeof value === 'string' ? value : null;
        const file = path ? this.files.get(path) : undefined;
        if (!file || file.origin !== 'upload') {
          // Gradio 5 refuses input files it did not receive through upload
          throw new GradioError(`File ${path ?? JSON.stringify(value)} is not in the upload folder and cannot be accessed.`);
        }
        return { sha256: sha256Hex(file.bytes), bytes: file.bytes };
      },
    };
  }
}

function labelInputs(app: AppDef, endpoint: EndpointDef, data: Json[]): { [label: string]: Json } {
  const out: { [label: string]: Json } = {};
  endpoint.inputs.forEach((id, i) => {
    const label = app.components.find((c) => c.id === id)?.label ?? `input_${i}`;
    out[label] = data[i] ?? null;
  });
  return out;
}

/**
 * Not a playable video: an ISO-BMFF `ftyp` box (so sniffers say video/mp4) and a `free`
 * box naming the WAV it stands for. The wav output is the one to use.
 */
function placeholderMp4(track: RenderedTrack): Buffer {
  const ftyp = Buffer.from('00000018667479706973736f0000020069736f6d6d703431', 'hex');
  const note = Buffer.from(`fake-space placeholder video for wav sha256 ${track.sha256}`, 'utf8');
  const free = Buffer.alloc(8);
  free.writeUInt32BE(8 + note.length, 0);
  free.write('free', 4, 'ascii');
  return Buffer.concat([ftyp, free, note]);
}
