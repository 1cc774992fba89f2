import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { GenerationEvents } from '../generations/generation-events';
import { GenerationsModule } from '../generations/generations.module';
import { ReferencesModule } from '../references/references.module';
import { TokensModule } from '../tokens/tokens.module';
import { TracksModule } from '../tracks/tracks.module';
import { UsersModule } from '../users/users.module';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';
import { AuditLogEntity } from './audit-log.entity';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** `/v1/admin/*`: users, jobs across users, engines, the audit log (role admin). */
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity]), UsersModule, AuthModule, TokensModule, ReferencesModule, GenerationsModule, TracksModule],
  controllers: [AdminController],
  // GenerationEvents only wraps the global event bus: publishing a retried job's status needs nothing else.
  providers: [AdminService, AuditService, AuditRepository, AdminGuard, GenerationEvents],
})
export class AdminModule {}
