import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Sql } from '../database/sql';
import { HfTokenEntity } from './hf-token.entity';

/** A user's sealed token as stored: what opening it needs. */
export interface SealedHfToken {
  token_sealed: Buffer;
  key_id: string;
  last4: string;
  account: string | null;
}

export type StoredHfToken = Pick<HfTokenEntity, 'userId' | 'tokenSealed' | 'keyId' | 'last4' | 'account' | 'verification' | 'warning'>;

/** Users' sealed Hugging Face tokens (`hf_tokens`), at most one per user. */
@Injectable()
export class HfTokenRepository {
  constructor(
    private readonly sql: Sql,
    @InjectRepository(HfTokenEntity) private readonly tokens: Repository<HfTokenEntity>,
  ) {}

  /** The user's token without its sealed secret (what the status shows), or null. */
  describe(userId: string): Promise<HfTokenEntity | null> {
    return this.tokens.findOne({ where: { userId } });
  }

  sealed(userId: string): Promise<SealedHfToken | undefined> {
    return this.sql.one<SealedHfToken>(`SELECT token_sealed, key_id, last4, account FROM hf_tokens WHERE user_id = $1`, [userId]);
  }

  /** Stores the user's token, replacing any earlier one. */
  async store(token: StoredHfToken): Promise<void> {
    await this.sql.run(
      `INSERT INTO hf_tokens (user_id, token_sealed, key_id, last4, account, verification, warning)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (user_id) DO UPDATE SET token_sealed = EXCLUDED.token_sealed, key_id = EXCLUDED.key_id, last4 = EXCLUDED.last4,
         account = EXCLUDED.account, verification = EXCLUDED.verification, warning = EXCLUDED.warning, updated_at = now()`,
      [token.userId, token.tokenSealed, token.keyId, token.last4, token.account, token.verification, token.warning],
    );
  }

  async remove(userId: string): Promise<void> {
    await this.sql.run(`DELETE FROM hf_tokens WHERE user_id = $1`, [userId]);
  }
}
