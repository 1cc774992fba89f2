import type { GenerationResponse } from '@texttune/contracts';
import type { GenerationEntity } from './generation.entity';

export interface ResponseExtras {
  trackIds?: string[];
  /** our queue position (queued jobs) */
  queuePosition?: number | null;
  etaSeconds?: number | null;
  /** the expected render time of this job, by its engine and quality's measured rate */
  renderSeconds?: number | null;
}

/** The public shape of a job row (`GET /v1/generations/:id`, SSE events). */
export function toGenerationResponse(row: GenerationEntity, extras: ResponseExtras = {}): GenerationResponse {
  const ids = extras.trackIds ?? [];
  return {
    job_id: row.id,
    status: row.status,
    prompt: row.prompt,
    progress: row.status === 'succeeded' ? 1 : row.progress,
    position: extras.queuePosition ?? (row.status === 'running' ? row.enginePosition : null),
    eta_seconds: extras.etaSeconds !== undefined ? extras.etaSeconds : row.status === 'running' ? row.etaSeconds : null,
    render_seconds: extras.renderSeconds ?? null,
    audio_url: ids.length ? `/v1/stream/${ids[0]}` : null,
    track_id: ids[0] ?? null,
    track_ids: ids,
    params: row.params,
    engine: row.engine,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    cancel_requested: row.cancelRequestedAt !== null,
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
