import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';

/** An outbox entry due for another removal attempt. */
export interface DueGarbage {
  key: string;
  attempts: number;
}

/**
 * The `storage_garbage` outbox: storage objects whose rows are gone and which are still
 * to be removed. Methods that take `tx` run inside the caller's transaction.
 */
@Injectable()
export class StorageGarbageRepository {
  constructor(private readonly sql: Sql) {}

  /** Adds keys (each once) to the outbox. */
  async add(keys: string[], tx: Sql = this.sql): Promise<void> {
    if (keys.length) await tx.run(`INSERT INTO storage_garbage (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING`, [keys]);
  }

  /** The object is gone from storage: its entry goes too. */
  async remove(key: string, tx: Sql = this.sql): Promise<void> {
    await tx.run(`DELETE FROM storage_garbage WHERE key = $1`, [key]);
  }

  /** Counts a failed attempt and sets when the next is due. */
  async postpone(key: string, error: string, retryInSeconds: number, tx: Sql = this.sql): Promise<void> {
    await tx.run(`UPDATE storage_garbage SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE key = $1`, [
      key,
      error.slice(0, 500),
      retryInSeconds,
    ]);
  }

  /** Up to `limit` due entries, most overdue first, locked for `tx`; entries another transaction holds are skipped. */
  lockDue(limit: number, tx: Sql): Promise<DueGarbage[]> {
    return tx.rows<DueGarbage>(`SELECT key, attempts FROM storage_garbage WHERE next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`, [limit]);
  }

  async count(): Promise<number> {
    return (await this.sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM storage_garbage`))?.n ?? 0;
  }
}
