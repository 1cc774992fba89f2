import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TrackEntity } from './track.entity';

export type NewTrack = Omit<TrackEntity, 'id' | 'createdAt'> & { id: string };

/** Tracks. Other modules use this service, never the repository. */
@Injectable()
export class TracksService {
  constructor(@InjectRepository(TrackEntity) private readonly tracks: Repository<TrackEntity>) {}

  /** Inserts the takes of a job inside the caller's transaction (the one that marks it succeeded). */
  async insertTakes(manager: EntityManager, takes: NewTrack[]): Promise<void> {
    // (TypeORM's deep-partial type does not accept jsonb Record columns; the rows are complete.)
    if (takes.length) await manager.insert(TrackEntity, takes as QueryDeepPartialEntity<TrackEntity>[]);
  }

  /** Track ids per generation, in take order. */
  async idsByGeneration(generationIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (!generationIds.length) return result;
    const rows = await this.tracks.find({ select: { id: true, generationId: true, takeIndex: true }, where: { generationId: In(generationIds) }, order: { takeIndex: 'ASC' } });
    for (const row of rows) {
      if (!row.generationId) continue;
      const list = result.get(row.generationId) ?? [];
      list.push(row.id);
      result.set(row.generationId, list);
    }
    return result;
  }
}
