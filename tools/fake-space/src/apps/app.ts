/** The shape of a fake Space: its components, its event listeners and what each one does. */
import type { Json } from '../types';
import type { RenderedTrack } from '../wav-render';
import type { ComponentDef } from './components';

/** What an endpoint's function gets while it runs inside a queued job. */
export interface RunContext {
  /** the join payload's `data`, already through each input component's preprocess */
  readonly inputs: Json[];
  /** Sends a `progress` message (`progress_data: [{index, length, unit, ...}]`) and waits one step. */
  progress(index: number, length: number, desc?: string | null): Promise<void>;
  /** Stores a rendered WAV and returns the value the Audio output sends (a FileData, unless a failure mode says otherwise). */
  audioOutput(track: RenderedTrack, name: string): Json;
  /** Stores the "video" of a track and returns a Video output value (`{video: FileData, subtitles: null}`). */
  videoOutput(track: RenderedTrack, name: string): Json;
  /** Resolves an Audio input (uploaded FileData) to the bytes the server holds, or null when empty. */
  inputFile(value: Json): { sha256: string; bytes: Buffer } | null;
}

export interface EndpointDef {
  /** dependency id == fn_index */
  id: number;
  /** `api_name` without the leading slash; null for an unnamed endpoint */
  apiName: string | null;
  /** `[component id, event name]` pairs; empty for a `.then()` step */
  targets: [number, string][];
  triggerAfter: number | null;
  inputs: number[];
  outputs: number[];
  /** false: runs through `POST <prefix>/run/<api_name>`, never through the queue */
  queue: boolean;
  batch: boolean;
  maxBatchSize: number;
  /** Python parameter names, used by the client to map keyword arguments */
  parameterNames: string[];
  /** Python function name (shown as the dependency's description) */
  fnName: string;
  run(ctx: RunContext): Promise<Json[]>;
}

export interface AppDef {
  name: string;
  title: string;
  components: ComponentDef[];
  endpoints: EndpointDef[];
  /** layout tree as in the config: `{id, children?}` */
  layout: Json;
}

/** `gr.update(visible=...)` as it goes over the wire. */
export function update(props: { [key: string]: Json }): Json {
  return { __type__: 'update', ...props };
}

/** Plain throw-able `gr.Error`: becomes `process_completed` with `success: false`. */
export class GradioError extends Error {
  constructor(
    message: string,
    readonly title = 'Error',
  ) {
    super(message);
  }
}

export function num(value: Json, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
export function str(value: Json, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
