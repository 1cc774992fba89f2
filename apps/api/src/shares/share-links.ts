import { SHARE_DEFAULT_HOURS } from '@texttune/contracts';
import type { DeepPartial } from 'typeorm';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/uuid';
import type { ShareRowEntity } from './share-row.entity';
import type { ShareRepository } from './share.repository';
import type { ShareKind, ShareSigner } from './share-signer';

/** Active links per shared track or playlist; more is refused (an owner revokes old ones first). */
export const MAX_ACTIVE_SHARES = 20;

export const shareNotFound = () => new ApiError(404, 'not_found', 'This share link does not exist, has expired, or was revoked; ask its owner for a new one.');

/**
 * Share links of one kind of thing (a track, a playlist): signed, expiring tokens (see
 * ShareSigner) backed by rows that keep them revocable, at most MAX_ACTIVE_SHARES active
 * per thing, and 404 for anything forged, expired, revoked or deleted. A subclass says
 * what is shared: its kind, its share rows, and how to find it.
 */
export abstract class ShareLinks<Share extends ShareRowEntity, Target extends { id: string }> {
  protected abstract readonly kind: ShareKind;
  /** The user's own thing, or its 404. */
  protected abstract findOwned(userId: string, targetId: string): Promise<Target>;
  /** Anyone's thing (for a link's visitor), or null once deleted. */
  protected abstract findTarget(targetId: string): Promise<Target | null>;

  constructor(
    protected readonly shares: ShareRepository<Share>,
    protected readonly signer: ShareSigner,
  ) {}

  tokenOf(share: Share): string {
    return this.signer.token(this.kind, share.id, share.expiresAt);
  }

  /** `options`: the columns a kind of link adds (a track's allows a download or not). */
  async create(userId: string, targetId: string, hours = SHARE_DEFAULT_HOURS, options: DeepPartial<Share> = {} as DeepPartial<Share>): Promise<Share> {
    const target = await this.findOwned(userId, targetId);
    if ((await this.shares.countActive(target.id)) >= MAX_ACTIVE_SHARES) {
      throw new ApiError(409, 'limit_exceeded', `This ${this.kind} already has ${MAX_ACTIVE_SHARES} active share links; revoke one before creating another.`, { max: MAX_ACTIVE_SHARES });
    }
    // Whole milliseconds, as the signature covers the expiry exactly.
    const expiresAt = new Date(Math.floor(Date.now() + hours * 3600_000));
    return this.shares.create(userId, target.id, expiresAt, options);
  }

  async listActive(userId: string, targetId: string): Promise<Share[]> {
    const target = await this.findOwned(userId, targetId);
    return this.shares.listActive(target.id);
  }

  async revoke(userId: string, targetId: string, shareId: string): Promise<void> {
    const target = await this.findOwned(userId, targetId);
    if (!isUuid(shareId)) throw shareNotFound();
    if (!(await this.shares.revoke(userId, target.id, shareId))) throw shareNotFound();
  }

  /**
   * The share and the thing behind a token, or 404. A link of a disabled account answers
   * as a revoked one does, and plays again once the account is enabled (if it has not
   * expired or been revoked meanwhile). Each visit reads the owner's row, so a disable
   * takes effect at the next request.
   */
  async resolve(token: string): Promise<{ share: Share; target: Target }> {
    const claim = this.signer.verify(this.kind, token);
    if (!claim) throw shareNotFound();
    const share = await this.shares.findOfEnabledOwner(claim.id);
    if (!share || share.revokedAt || share.expiresAt.getTime() !== claim.expiresMs) throw shareNotFound();
    const target = await this.findTarget(this.shares.targetOf(share));
    if (!target) throw shareNotFound();
    return { share, target };
  }
}
