import { SessionEntity } from '../auth/session.entity';
import { GenerationEntity } from '../generations/generation.entity';
import { TrackEntity } from '../tracks/track.entity';
import { UserEntity } from '../users/user.entity';

/** Every TypeORM entity, listed explicitly (no globbing over compiled files). */
export const ENTITIES = [UserEntity, SessionEntity, GenerationEntity, TrackEntity];
