import { SHARE_DEFAULT_HOURS } from '@texttune/contracts';
import { IsNull, MoreThan, type DeepPartial, type FindOptionsOrder, type FindOptionsWhere, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/cursor';
import { UserEntity } from '../users/user.entity';
import type { ShareRowEntity } from './share-row.entity';
import type { ShareKind, ShareSigner } from './share-signer';

/** Active links per shared track or playlist; more is refused (an owner revokes old ones first). */
export const MAX_ACTIVE_SHARES = 20;

export const shareNotFound = () => new ApiError(404, 'not_found', 'This share link does not exist, has expired, or was revoked; ask its owner for a new one.');

/**
 * Share links of one kind of thing (a track, a playlist): signed, expiring tokens (see
 * ShareSigner) backed by rows that keep them revocable, at most MAX_ACTIVE_SHARES active
 * per thing, and 404 for anything forged, expired, revoked or deleted. A subclass says
 * what is shared: its kind, the share row's column naming it, and how to find it.
 */
export abstract class ShareLinks<Share extends ShareRowEntity, Target extends { id: string }> {
  protected abstract readonly kind: ShareKind;
  /** The share row's column that holds the shared thing's id. */
  protected abstract readonly targetColumn: keyof Share & string;
  /** The user's own thing, or its 404. */
  protected abstract findOwned(userId: string, targetId: string): Promise<Target>;
  /** Anyone's thing (for a link's visitor), or null once deleted. */
  protected abstract findTarget(targetId: string): Promise<Target | null>;

  constructor(
    protected readonly shares: Repository<Share>,
    protected readonly signer: ShareSigner,
  ) {}

  tokenOf(share: Share): string {
    return this.signer.token(this.kind, share.id, share.expiresAt);
  }

  /** `options`: the columns a kind of link adds (a track's allows a download or not). */
  async create(userId: string, targetId: string, hours = SHARE_DEFAULT_HOURS, options: DeepPartial<Share> = {} as DeepPartial<Share>): Promise<Share> {
    const target = await this.findOwned(userId, targetId);
    if ((await this.shares.count({ where: this.activeOf(target.id) })) >= MAX_ACTIVE_SHARES) {
      throw new ApiError(409, 'limit_exceeded', `This ${this.kind} already has ${MAX_ACTIVE_SHARES} active share links; revoke one before creating another.`, { max: MAX_ACTIVE_SHARES });
    }
    // Whole milliseconds, as the signature covers the expiry exactly.
    const expiresAt = new Date(Math.floor(Date.now() + hours * 3600_000));
    return this.shares.save(this.shares.create({ ...options, [this.targetColumn]: target.id, userId, expiresAt } as DeepPartial<Share>));
  }

  async listActive(userId: string, targetId: string): Promise<Share[]> {
    const target = await this.findOwned(userId, targetId);
    return this.shares.find({ where: this.activeOf(target.id), order: { createdAt: 'DESC' } as FindOptionsOrder<Share> });
  }

  async revoke(userId: string, targetId: string, shareId: string): Promise<void> {
    const target = await this.findOwned(userId, targetId);
    if (!isUuid(shareId)) throw shareNotFound();
    const where = { id: shareId, [this.targetColumn]: target.id, userId, revokedAt: IsNull() } as FindOptionsWhere<Share>;
    const revoked: QueryDeepPartialEntity<ShareRowEntity> = { revokedAt: new Date() };
    const { affected } = await this.shares.update(where, revoked as QueryDeepPartialEntity<Share>);
    if (!affected) throw shareNotFound();
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
    const share = await this.shares
      .createQueryBuilder('share')
      .innerJoin(UserEntity, 'owner', 'owner.id = share.user_id AND owner.disabled_at IS NULL')
      .where('share.id = :id', { id: claim.id })
      .getOne();
    if (!share || share.revokedAt || share.expiresAt.getTime() !== claim.expiresMs) throw shareNotFound();
    const target = await this.findTarget(share[this.targetColumn] as string);
    if (!target) throw shareNotFound();
    return { share, target };
  }

  private activeOf(targetId: string): FindOptionsWhere<Share> {
    return { [this.targetColumn]: targetId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) } as FindOptionsWhere<Share>;
  }
}
