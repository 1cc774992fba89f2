import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { UserIdentityEntity } from './user-identity.entity';

/** The identity a provider vouched for: the account it signs in to. */
export type LinkedIdentity = Pick<UserIdentityEntity, 'id' | 'userId'>;

/** Accounts' single sign-on identities (`user_identities`), one per provider subject. */
@Injectable()
export class UserIdentityRepository {
  constructor(@InjectRepository(UserIdentityEntity) private readonly identities: Repository<UserIdentityEntity>) {}

  find(issuer: string, subject: string): Promise<LinkedIdentity | null> {
    return this.identities.findOne({ select: { id: true, userId: true }, where: { issuer, subject } });
  }

  /** Whether the account signs in with single sign-on. */
  anyFor(userId: string): Promise<boolean> {
    return this.identities.existsBy({ userId });
  }

  /** Records a sign-in by this identity and the email the provider reports now. */
  async signedIn(id: string, email: string | null): Promise<void> {
    await this.identities.update({ id }, { lastSignInAt: new Date(), email });
  }

  /** Links the provider's subject to an account (a unique violation when it is linked already). */
  async link(fields: { userId: string; issuer: string; subject: string; email: string | null }): Promise<void> {
    await this.identities.insert({ ...fields, lastSignInAt: new Date() });
  }
}
