import { IsNull, MoreThan, type DeepPartial, type FindOptionsOrder, type FindOptionsWhere, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { UserEntity } from '../users/user.entity';
import type { ShareRowEntity } from './share-row.entity';

/**
 * The rows of one kind of share link (a track's, a playlist's): `targetColumn` holds the
 * shared thing's id. A link is active until it expires or is revoked.
 */
export class ShareRepository<Share extends ShareRowEntity> {
  constructor(
    private readonly shares: Repository<Share>,
    private readonly targetColumn: keyof Share & string,
  ) {}

  /** The id of the thing a share row shares. */
  targetOf(share: Share): string {
    return String(share[this.targetColumn]);
  }

  countActive(targetId: string): Promise<number> {
    return this.shares.count({ where: this.activeOf(targetId) });
  }

  /** The active links of the thing, newest first. */
  listActive(targetId: string): Promise<Share[]> {
    return this.shares.find({ where: this.activeOf(targetId), order: { createdAt: 'DESC' } as FindOptionsOrder<Share> });
  }

  /** `columns`: what a kind of link adds to the common ones (a track's allows a download or not). */
  create(userId: string, targetId: string, expiresAt: Date, columns: DeepPartial<Share> = {} as DeepPartial<Share>): Promise<Share> {
    return this.shares.save(this.shares.create({ ...columns, [this.targetColumn]: targetId, userId, expiresAt } as DeepPartial<Share>));
  }

  /** Revokes the user's unrevoked link `shareId` of the thing; false when there is none. */
  async revoke(userId: string, targetId: string, shareId: string): Promise<boolean> {
    const where = { id: shareId, [this.targetColumn]: targetId, userId, revokedAt: IsNull() } as FindOptionsWhere<Share>;
    const revoked: QueryDeepPartialEntity<ShareRowEntity> = { revokedAt: new Date() };
    const { affected } = await this.shares.update(where, revoked as QueryDeepPartialEntity<Share>);
    return (affected ?? 0) > 0;
  }

  /**
   * The link `id` (revoked and expired ones too: the caller tells them apart), or null
   * when there is none or its owner's account is disabled.
   */
  findOfEnabledOwner(id: string): Promise<Share | null> {
    return this.shares
      .createQueryBuilder('share')
      .innerJoin(UserEntity, 'owner', 'owner.id = share.user_id AND owner.disabled_at IS NULL')
      .where('share.id = :id', { id })
      .getOne();
  }

  private activeOf(targetId: string): FindOptionsWhere<Share> {
    return { [this.targetColumn]: targetId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) } as FindOptionsWhere<Share>;
  }
}
