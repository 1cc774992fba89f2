import { Inject, Injectable, Logger } from '@nestjs/common';
import { probeAudio } from '@texttune/audio';
import { REFERENCE_MAX_BYTES, type ReferenceResponse } from '@texttune/contracts';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/uuid';
import { AUDIO_STORAGE, StorageLimitError, type AudioStorage } from '../storage/audio-storage';
import type { ReferenceEntity } from './reference.entity';
import { ReferenceRepository } from './reference.repository';

const NOT_FOUND = () => new ApiError(404, 'not_found', 'There is no such reference audio in your account; upload it again with POST /v1/references.');

/** Reference (melody) audio: kept per user, read back by the worker for the engine. */
@Injectable()
export class ReferencesService {
  private readonly logger = new Logger('References');

  constructor(
    private readonly references: ReferenceRepository,
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
  ) {}

  /** Stores the bytes when they decode as audio (by their content, never their name or type). */
  async create(userId: string, body: Buffer, fileName: string | null): Promise<ReferenceResponse> {
    const audio = probeAudio(body);
    if (!audio.ok) throw new ApiError(400, 'reference_invalid', `${audio.reason} Upload a WAV, MP3, FLAC or Ogg (Vorbis or Opus) file.`);
    const id = randomUUID();
    const storageKey = `${userId}/refs/${id}.${audio.format}`;
    try {
      await this.storage.write(storageKey, body, { maxBytes: REFERENCE_MAX_BYTES });
    } catch (error) {
      if (error instanceof StorageLimitError) throw new ApiError(413, 'payload_too_large', `Reference audio may be at most ${REFERENCE_MAX_BYTES / 1024 / 1024} MB.`);
      throw error;
    }
    try {
      const row = await this.references.add({
        id,
        userId,
        storageKey,
        format: audio.format,
        mimeType: audio.mimeType,
        codec: audio.codec,
        channels: audio.channels,
        sampleRate: audio.sampleRate,
        sizeBytes: body.length,
        durationSeconds: audio.durationSeconds,
        fileName: fileName?.slice(0, 255) || null,
      });
      return toReferenceResponse(row);
    } catch (error) {
      await this.storage.delete(storageKey).catch(() => undefined);
      throw error;
    }
  }

  /** The row if it belongs to the user; 404 otherwise (no existence leak). */
  async findOwned(userId: string, id: string): Promise<ReferenceEntity> {
    const row = isUuid(id) ? await this.references.findOwned(userId, id) : null;
    if (!row) throw NOT_FOUND();
    return row;
  }

  async get(userId: string, id: string): Promise<ReferenceResponse> {
    return toReferenceResponse(await this.findOwned(userId, id));
  }

  /** Removes the row, then the file (a queued job using it then fails with a sentence). */
  async remove(userId: string, id: string): Promise<void> {
    const row = await this.findOwned(userId, id);
    await this.references.remove(row.id);
    await this.storage.delete(row.storageKey).catch((error: unknown) => this.logger.warn(`could not remove ${row.storageKey}: ${(error as Error).message}`));
  }

  /** The stored bytes, for the engine; null when the reference (or its file) is gone. */
  async load(userId: string, id: string): Promise<{ body: Buffer; fileName: string; mimeType: string } | null> {
    const row = isUuid(id) ? await this.references.findOwned(userId, id) : null;
    if (!row || !(await this.storage.stat(row.storageKey))) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.read(row.storageKey)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    return { body: Buffer.concat(chunks), fileName: `reference.${row.format}`, mimeType: row.mimeType };
  }
}

export function toReferenceResponse(row: ReferenceEntity): ReferenceResponse {
  return {
    id: row.id,
    format: row.format,
    codec: row.codec,
    channels: row.channels,
    sample_rate: row.sampleRate,
    size_bytes: row.sizeBytes,
    duration: row.durationSeconds,
    created_at: row.createdAt.toISOString(),
  };
}
