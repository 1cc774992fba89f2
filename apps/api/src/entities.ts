import { AuditLogEntity } from './admin/audit-log.entity';
import { UserIdentityEntity } from './auth/oidc/user-identity.entity';
import { SessionEntity } from './auth/session.entity';
import { GenerationEntity } from './generations/generation.entity';
import { HfTokenEntity } from './hf-token/hf-token.entity';
import { ReferenceEntity } from './references/reference.entity';
import { PlaylistEntity, PlaylistShareEntity } from './playlists/playlist.entity';
import { ApiTokenEntity } from './tokens/api-token.entity';
import { TrackEntity } from './tracks/track.entity';
import { TrackShareEntity } from './shares/track-share.entity';
import { InviteEntity } from './users/invite.entity';
import { UserEntity } from './users/user.entity';
import { WebhookEndpointEntity } from './webhooks/webhook-endpoint.entity';

/** Every TypeORM entity, listed explicitly (no globbing over compiled files); the entry points hand it to database/. */
export const ENTITIES = [UserEntity, SessionEntity, GenerationEntity, TrackEntity, TrackShareEntity, PlaylistEntity, PlaylistShareEntity, UserIdentityEntity, ApiTokenEntity, AuditLogEntity, HfTokenEntity, ReferenceEntity, InviteEntity, WebhookEndpointEntity];
