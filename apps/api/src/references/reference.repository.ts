import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Sql } from '../database/sql';
import { ReferenceEntity } from './reference.entity';

export type NewReference = Omit<ReferenceEntity, 'createdAt'>;

/** Reference (melody) audio rows (`references`); the bytes live in storage under `storage_key`. */
@Injectable()
export class ReferenceRepository {
  constructor(
    private readonly sql: Sql,
    @InjectRepository(ReferenceEntity) private readonly references: Repository<ReferenceEntity>,
  ) {}

  add(fields: NewReference): Promise<ReferenceEntity> {
    return this.references.save(this.references.create(fields));
  }

  /** The user's reference `id`, or null when the user has none by that id. */
  findOwned(userId: string, id: string): Promise<ReferenceEntity | null> {
    return this.references.findOneBy({ id, userId });
  }

  async remove(id: string): Promise<void> {
    await this.references.delete({ id });
  }

  /** The storage keys of every reference of a user (read before the account goes, in its transaction). */
  async storageKeysOf(userId: string, tx: Sql = this.sql): Promise<string[]> {
    return (await tx.rows<{ storage_key: string }>(`SELECT storage_key FROM "references" WHERE user_id = $1`, [userId])).map((row) => row.storage_key);
  }
}
