import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { GenerationsModule } from '../generations/generations.module';
import { ReferencesModule } from '../references/references.module';
import { TokensModule } from '../tokens/tokens.module';
import { TracksModule } from '../tracks/tracks.module';
import { UsersModule } from '../users/users.module';
import { AdminService } from './admin.service';
import { AuditLogEntity } from './audit-log.entity';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** What `/v1/admin/*` does: users, jobs across users, engines, the audit log (role admin). */
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity]), UsersModule, AuthModule, TokensModule, ReferencesModule, GenerationsModule, TracksModule],
  providers: [AdminService, AuditService, AuditRepository],
  exports: [AdminService, AuditService],
})
export class AdminModule {}
