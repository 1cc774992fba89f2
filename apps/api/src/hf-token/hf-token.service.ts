import { Inject, Injectable, Logger } from '@nestjs/common';
import type { HfTokenStatus } from '@texttune/contracts';
import { ApiError } from '../common/api-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { UserSpaceToken, UserTokenSource } from '../engines/gradio/user-tokens';
import { EngineError } from '../engines/music-engine';
import { SecretBox, SecretDecryptError } from '../common/secret-box';
import type { HfTokenEntity } from './hf-token.entity';
import { HfTokenRepository } from './hf-token.repository';
import { HfTokenRejected, whoami, type WhoamiResult } from './whoami';

/**
 * Users' own Hugging Face tokens: checked once with Hugging Face's whoami,
 * sealed with SECRETS_KEY (AES-256-GCM, the user id as associated data), never returned
 * or logged — only the last 4 characters and the account are shown. The Gradio engine
 * reads them per job through {@link UserTokenSource}.
 */
@Injectable()
export class HfTokenService implements UserTokenSource {
  private readonly logger = new Logger('HfTokens');
  private readonly box: SecretBox | null;

  constructor(
    private readonly tokens: HfTokenRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = config.secretsKey ? new SecretBox(config.secretsKey) : null;
  }

  async status(userId: string): Promise<HfTokenStatus> {
    return this.toStatus(await this.tokens.describe(userId));
  }

  /** Checks the token with Hugging Face, then stores it sealed (replacing any earlier one). */
  async set(userId: string, token: string): Promise<HfTokenStatus> {
    const box = this.box;
    if (!box) {
      throw new ApiError(
        503,
        'not_ready',
        'This server cannot store Hugging Face tokens yet: an administrator has to set SECRETS_KEY (32 random bytes, e.g. `openssl rand -base64 32`) first.',
        { missing: 'SECRETS_KEY' },
      );
    }
    let check: WhoamiResult;
    try {
      check = await whoami(token, { hubUrl: this.config.hfTokens.hubUrl, timeoutMs: this.config.hfTokens.hubTimeoutMs });
    } catch (error) {
      if (!(error instanceof HfTokenRejected)) throw error;
      throw new ApiError(
        400,
        'hf_token_invalid',
        'Hugging Face does not accept this token (whoami answered 401): check that you copied all of it, or create a new one at https://huggingface.co/settings/tokens. Nothing was saved.',
        { hub_status: error.status },
      );
    }
    await this.tokens.store({
      userId,
      tokenSealed: box.seal(token, userId),
      keyId: box.keyId,
      last4: token.slice(-4),
      account: check.account,
      verification: check.verification,
      warning: check.warning,
    });
    this.logger.log(`user ${userId} saved a Hugging Face token (${check.verification}${check.account ? `, account ${check.account}` : ''})`);
    return this.status(userId);
  }

  async remove(userId: string): Promise<void> {
    await this.tokens.remove(userId);
  }

  async tokenFor(userId: string): Promise<UserSpaceToken | null> {
    const row = await this.tokens.sealed(userId);
    if (!row) return null;
    const problem = this.unreadable(row.key_id);
    if (problem) throw new EngineError('space_auth', problem);
    try {
      return { token: this.box!.open(row.token_sealed, userId), account: row.account, last4: row.last4 };
    } catch (error) {
      if (!(error instanceof SecretDecryptError)) throw error;
      this.logger.warn(`the stored Hugging Face token of user ${userId} failed decryption (altered or damaged); the job fails with space_auth`);
      throw new EngineError('space_auth', 'Your stored Hugging Face token cannot be decrypted (it was damaged or altered), so it was not used: set it again in Settings.');
    }
  }

  /** Why a token sealed with `keyId` cannot be opened here, if it cannot. */
  private unreadable(keyId: string): string | null {
    if (!this.box) return 'Your Hugging Face token is stored, but this server cannot read it: its SECRETS_KEY is not set. Ask an administrator to restore SECRETS_KEY, or remove the token in Settings.';
    if (keyId !== this.box.keyId) return "Your Hugging Face token was saved under another SECRETS_KEY and cannot be read with the server's current one: set it again in Settings.";
    return null;
  }

  private toStatus(row: HfTokenEntity | null): HfTokenStatus {
    const problem = row ? this.unreadable(row.keyId) : null;
    return {
      set: !!row,
      last4: row?.last4 ?? null,
      account: row?.account ?? null,
      verification: row?.verification ?? null,
      warning: problem ?? row?.warning ?? null,
      updated_at: row?.updatedAt.toISOString() ?? null,
      policy: this.config.hfTokens.policy,
      available: this.box !== null,
    };
  }
}
