import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GenerationsModule } from '../generations/generations.module';
import { TracksModule } from '../tracks/tracks.module';
import { UsersModule } from '../users/users.module';
import { AdminService } from './admin.service';
import { AuditLogEntity } from './audit-log.entity';
import { AuditService } from './audit.service';

/** What `/v1/admin/*` does: users, jobs across users, engines, the audit log (role admin). */
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity]), UsersModule, GenerationsModule, TracksModule],
  providers: [AdminService, AuditService],
  exports: [AdminService, AuditService],
})
export class AdminModule {}
