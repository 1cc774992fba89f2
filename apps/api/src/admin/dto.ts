import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ADMIN_PAGE_DEFAULT,
  ADMIN_PAGE_MAX,
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  EMAIL_MAX_LENGTH,
  INVITE_DEFAULT_HOURS,
  INVITE_MAX_HOURS,
  GENERATION_STATUSES,
  QUOTA_DAILY_SECONDS_MAX,
  QUOTA_MAX_ACTIVE_JOBS_MAX,
  USER_ROLES,
  type AdminEngineListResponse,
  type AdminInvite,
  type AdminInviteListResponse,
  type AuditTargetType,
  type CreateInviteRequest,
  type AdminJob,
  type AdminJobListResponse,
  type AdminUser,
  type AdminUserListResponse,
  type AdminUserUsage,
  type AuditAction,
  type AuditEntry,
  type AuditListResponse,
  type EffectiveQuota,
  type GenerationStatus,
  type UpdateAdminUserRequest,
  type UserQuotaOverrides,
  type UserRole,
} from '@texttune/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { GenerationDto } from '../generations/dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: ADMIN_PAGE_MAX, default: ADMIN_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ADMIN_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'the next cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class AdminUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'part of the email or name' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  q?: string;
}

export class AdminJobsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: GENERATION_STATUSES })
  @IsOptional()
  @IsIn(GENERATION_STATUSES)
  status?: GenerationStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'only this user\u2019s jobs' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'uuid', description: 'the admin who acted' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ description: 'the user or job acted on' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  targetId?: string;
}

export class QuotaOverridesDto implements Partial<UserQuotaOverrides> {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: QUOTA_DAILY_SECONDS_MAX, description: 'seconds of audio per UTC day; 0 = unlimited; null = the server default', example: 600 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(QUOTA_DAILY_SECONDS_MAX)
  dailySeconds?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: QUOTA_MAX_ACTIVE_JOBS_MAX, description: 'unfinished jobs at once; null = the server default', example: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(QUOTA_MAX_ACTIVE_JOBS_MAX)
  maxActiveJobs?: number | null;
}

/** Swagger UI prefills this: a quota change, which leaves the role and the account's state alone. */
export const UPDATE_ADMIN_USER_EXAMPLE = { quota: { dailySeconds: 600, maxActiveJobs: 2 } } satisfies UpdateAdminUserRequest;

export class UpdateAdminUserDto implements UpdateAdminUserRequest {
  @ApiPropertyOptional({ enum: USER_ROLES, description: 'kept over the identity provider\u2019s admin group; ADMIN_EMAILS admins stay admins' })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ description: 'true ends the user\u2019s sessions and revokes their API tokens at once', example: false })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ type: QuotaOverridesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuotaOverridesDto)
  quota?: QuotaOverridesDto;
}

class AdminUserUsageDto implements AdminUserUsage {
  @ApiProperty() tracks!: number;
  @ApiProperty({ description: 'seconds of audio requested today (UTC)' }) audioSecondsToday!: number;
  @ApiProperty() activeJobs!: number;
}

class QuotaDto implements UserQuotaOverrides {
  @ApiProperty({ type: Number, nullable: true }) dailySeconds!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxActiveJobs!: number | null;
}

class EffectiveQuotaDto implements EffectiveQuota {
  @ApiProperty({ description: '0 = unlimited' }) dailySeconds!: number;
  @ApiProperty() maxActiveJobs!: number;
}

export class AdminUserDto implements AdminUser {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty({ description: 'the role comes from ADMIN_EMAILS' }) roleFromConfig!: boolean;
  @ApiProperty() isGuest!: boolean;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSignInAt!: string | null;
  @ApiProperty({ type: [String], description: 'issuers of linked single sign-on identities' }) sso!: string[];
  @ApiProperty({ type: AdminUserUsageDto }) usage!: AdminUserUsageDto;
  @ApiProperty({ type: QuotaDto }) quota!: QuotaDto;
  @ApiProperty({ type: EffectiveQuotaDto }) effectiveQuota!: EffectiveQuotaDto;
}

export class AdminUserListDto implements AdminUserListResponse {
  @ApiProperty({ type: [AdminUserDto] }) items!: AdminUserDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

class JobOwnerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

export class AdminJobDto extends GenerationDto implements AdminJob {
  @ApiProperty({ type: JobOwnerDto }) user!: JobOwnerDto;
  @ApiProperty() attempts!: number;
}

export class AdminJobListDto implements AdminJobListResponse {
  @ApiProperty({ type: [AdminJobDto] }) items!: AdminJobDto[];
  @ApiProperty({ type: String, nullable: true }) next_cursor!: string | null;
}

export class AdminEngineListDto implements Pick<AdminEngineListResponse, 'queue'> {
  @ApiProperty({
    description: 'GET /v1/engines items plus `stats`: jobs by status, latency (avg/p50/p95/max seconds), seconds per audio second and errors by code over the window',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  items!: AdminEngineListResponse['items'];
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, example: { driver: 'bull', waiting: 2, active: 1, delayed: 0 } })
  queue!: AdminEngineListResponse['queue'];
}

class AuditActorDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) id!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

class AuditTargetDto {
  @ApiProperty({ enum: AUDIT_TARGET_TYPES }) type!: AuditTargetType;
  @ApiProperty() id!: string;
}

export class AuditEntryDto implements AuditEntry {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: AuditAction;
  @ApiProperty({ type: AuditTargetDto }) target!: AuditTargetDto;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { from: 'user', to: 'admin' } }) details!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
}

export class AuditListDto implements AuditListResponse {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CreateInviteDto implements CreateInviteRequest {
  @ApiPropertyOptional({ example: 'new.colleague@example.com', description: 'Only this address may use the invite; absent: whoever has the code.', maxLength: EMAIL_MAX_LENGTH })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address like name@example.com' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: INVITE_MAX_HOURS, default: INVITE_DEFAULT_HOURS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INVITE_MAX_HOURS)
  expiresInHours?: number;
}

export class AdminInviteDto implements AdminInvite {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) usedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'the account it created' }) usedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy!: string | null;
  @ApiPropertyOptional({ description: 'the one-time code (only when created): give it to the person, or send them `url`' }) code?: string;
  @ApiPropertyOptional({ example: '/signin?invite=tti_…', description: 'the sign-up page with the code filled in (only when created)' }) url?: string;
}

export class AdminInviteListDto implements AdminInviteListResponse {
  @ApiProperty({ type: [AdminInviteDto] }) items!: AdminInviteDto[];
}
