import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ADMIN_PAGE_DEFAULT, INVITE_DEFAULT_HOURS, type AdminEngineListResponse, type AdminInvite, type AdminInviteListResponse, type AdminJob, type AdminJobListResponse, type AdminUser, type AdminUserListResponse, type AuditListResponse } from '@texttune/contracts';
import type { Request } from 'express';
import { CurrentUser, type AuthUser } from '../auth/auth-user';
import { RequiresScope } from '../auth/scopes';
import { API_TOKEN_SCHEME, ApiErrors } from '../common/openapi';
import { AdminGuard } from '../auth/admin.guard';
import { AdminService } from './admin.service';
import { auditContext, AuditService } from './audit.service';
import { AdminEngineListDto, AdminInviteDto, AdminInviteListDto, CreateInviteDto, AdminJobDto, AdminJobListDto, AdminJobsQueryDto, AdminUserDto, AdminUserListDto, AdminUsersQueryDto, AuditListDto, AuditQueryDto, UPDATE_ADMIN_USER_EXAMPLE, UpdateAdminUserDto } from './dto';

/** Operators' API: role admin only (403 for everyone else), every change audited. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiSecurity(API_TOKEN_SCHEME)
@ApiCookieAuth()
@UseGuards(AdminGuard)
@RequiresScope('admin')
@Controller({ path: 'admin', version: '1' })
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly audit: AuditService,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'Accounts, newest first, with usage (tracks, audio seconds today, active jobs) and quota' })
  @ApiOkResponse({ type: AdminUserListDto })
  @ApiErrors(400, 401, 403)
  listUsers(@Query() query: AdminUsersQueryDto): Promise<AdminUserListResponse> {
    return this.admin.listUsers({ q: query.q || undefined, limit: query.limit ?? ADMIN_PAGE_DEFAULT, cursor: query.cursor });
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One account with usage and quota' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(401, 403, 404)
  getUser(@Param('id') id: string): Promise<AdminUser> {
    return this.admin.getUser(id);
  }

  @Patch('users/:id')
  @ApiOperation({
    summary: 'Change an account\u2019s role, disable or enable it, or set its quota overrides',
    description: 'Disabling ends the user\u2019s sessions and revokes their API tokens at once. Admins cannot demote or disable themselves. Audited.',
  })
  @ApiBody({ type: UpdateAdminUserDto, examples: { quota: { summary: 'Quota overrides', value: UPDATE_ADMIN_USER_EXAMPLE } } })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 401, 403, 404, 409)
  updateUser(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: UpdateAdminUserDto, @Req() req: Request): Promise<AdminUser> {
    return this.admin.updateUser({ ...auditContext(req), actor: user }, id, body);
  }

  @Delete('users/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an account and everything it owns',
    description:
      'Sessions, API tokens, jobs, tracks (every stored file and rendition), playlists, share links and reference audio. Cannot be undone. Admins cannot delete themselves or an ADMIN_EMAILS admin (409). Audited.',
  })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404, 409)
  deleteUser(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request): Promise<void> {
    return this.admin.deleteUser({ ...auditContext(req), actor: user }, id);
  }

  @Get('jobs')
  @ApiOperation({ summary: 'Generation jobs across users, newest first (`?status=failed` for failures)' })
  @ApiOkResponse({ type: AdminJobListDto })
  @ApiErrors(400, 401, 403)
  listJobs(@Query() query: AdminJobsQueryDto): Promise<AdminJobListResponse> {
    return this.admin.listJobs({ status: query.status, userId: query.userId, limit: query.limit ?? ADMIN_PAGE_DEFAULT, cursor: query.cursor });
  }

  @Post('jobs/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Retry a failed job: queued again with the same request and seed. Audited.' })
  @ApiAcceptedResponse({ type: AdminJobDto })
  @ApiErrors(401, 403, 404, 409)
  retryJob(@Param('id') id: string, @Req() req: Request): Promise<AdminJob> {
    return this.admin.retryJob(auditContext(req), id);
  }

  @Get('engines')
  @ApiOperation({ summary: 'Engines: readiness, and over the last 24 hours jobs by status, latency and errors by code; the queue' })
  @ApiOkResponse({ type: AdminEngineListDto })
  @ApiErrors(401, 403)
  engines(): Promise<AdminEngineListResponse> {
    return this.admin.engineOverview();
  }

  @Post('invites')
  @ApiOperation({
    summary: 'Invite someone to create a password account (REGISTRATION=invite)',
    description: 'A one-time code that expires (`code`, shown only here, and `url`, the sign-up page with it filled in). Audited.',
  })
  @ApiCreatedResponse({ type: AdminInviteDto })
  @ApiErrors(400, 401, 403)
  createInvite(@Body() body: CreateInviteDto, @Req() req: Request): Promise<AdminInvite> {
    return this.admin.createInvite(auditContext(req), { email: body.email, expiresInHours: body.expiresInHours ?? INVITE_DEFAULT_HOURS });
  }

  @Get('invites')
  @ApiOperation({ summary: 'Invites, newest first: who made each, until when, and whether it was used or revoked (never the codes)' })
  @ApiOkResponse({ type: AdminInviteListDto })
  @ApiErrors(401, 403)
  listInvites(): Promise<AdminInviteListResponse> {
    return this.admin.listInvites();
  }

  @Delete('invites/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an unused invite. Audited.' })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404)
  revokeInvite(@Param('id') id: string, @Req() req: Request): Promise<void> {
    return this.admin.revokeInvite(auditContext(req), id);
  }

  @Get('audit')
  @ApiOperation({ summary: 'The audit log of admin actions (who, what, when, from where), newest first' })
  @ApiOkResponse({ type: AuditListDto })
  @ApiErrors(400, 401, 403)
  auditLog(@Query() query: AuditQueryDto): Promise<AuditListResponse> {
    return this.audit.list({ action: query.action, actorId: query.actorId, targetId: query.targetId, limit: query.limit ?? ADMIN_PAGE_DEFAULT, cursor: query.cursor });
  }
}
