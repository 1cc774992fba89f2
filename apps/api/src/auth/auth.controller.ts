import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { SESSION_COOKIE, type AuthConfigResponse, type AuthResponse, type LogoutResponse, type MeResponse, type SessionResponse } from '@texttune/contracts';
import type { Request, Response } from 'express';
import { API_TOKEN_SCHEME, ApiErrors } from '../common/openapi';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { generationLimitsFor } from '../users/quota';
import { UsersService } from '../users/users.service';
import { CurrentUser, OptionalSession, Public, type AuthUser } from './auth-user';
import { RequiresScope } from './scopes';
import { AuthService } from './auth.service';
import { clientInfo, cookieOptions, setSessionCookie } from './cookies';
import { AuthConfigDto, AuthResponseDto, LOGIN_EXAMPLES, LoginDto, LogoutResponseDto, MeDto, REGISTER_EXAMPLE, RegisterDto, SessionDto } from './dto';

@ApiTags('auth')
@Controller({ path: 'auth', version: '1' })
@UseGuards(ThrottlerGuard)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {}

  @Public()
  @SkipThrottle()
  @Get('config')
  @ApiOperation({ summary: 'Which sign-in methods this server offers' })
  @ApiOkResponse({ type: AuthConfigDto })
  config(): AuthConfigResponse {
    return this.auth.describe();
  }

  @OptionalSession()
  @RequiresScope('read')
  @SkipThrottle()
  @Get('session')
  @ApiOperation({
    summary: 'Who is signed in, if anyone',
    description: 'Always 200: `user` is the signed-in user (as `GET /v1/me`), or null when the request carries no valid session. Lets a page find out without a failing request.',
  })
  @ApiOkResponse({ type: SessionDto })
  session(@Req() req: Request & { user?: AuthUser }): SessionResponse {
    return { user: req.user ? describeMe(this.appConfig, req.user) : null };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in',
    description: 'With `password`: password sign-in. Without: the quick email login, which finds or creates the account (AUTH_MODE=open only). Sets the httpOnly session cookie and returns the same token for `Authorization: Bearer`.',
  })
  @ApiBody({ type: LoginDto, examples: LOGIN_EXAMPLES })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiErrors(400, 401, 403, 429)
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    const result = body.password === undefined ? await this.auth.loginWithEmail(body.email, clientInfo(req)) : await this.auth.loginWithPassword(body.email, body.password, clientInfo(req));
    return setSessionCookie(req, res, result);
  }

  @Public()
  @Post('register')
  @ApiOperation({
    summary: 'Create an account with a password',
    description:
      'As REGISTRATION allows (`GET /v1/auth/config` says which): `open` anyone, `invite` with an admin\u2019s one-time `invite` code (403 `invite_required` / `invite_invalid`), `closed` nobody (403 `registration_closed`). The password needs 10+ characters, not a common password and not the email (400 `weak_password`).',
  })
  @ApiBody({ type: RegisterDto, examples: { account: { summary: 'A new account', value: REGISTER_EXAMPLE } } })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiErrors(400, 403, 409, 429)
  async register(@Body() body: RegisterDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    return setSessionCookie(req, res, await this.auth.register(body.email, body.password, clientInfo(req), body.invite));
  }

  @Public()
  @Post('guest')
  @ApiOperation({ summary: 'Continue as a guest (AUTH_MODE=open only)' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiErrors(401, 429)
  async guest(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    return setSessionCookie(req, res, await this.auth.guest(clientInfo(req)));
  }

  @Post('logout')
  @RequiresScope('read')
  @SkipThrottle()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Sign out: the session is revoked server-side and its token stops working at once',
    description: 'For a single sign-on session, `redirectUrl` is the provider\u2019s sign-out page (when it has one): navigate there to end that session too.',
  })
  @ApiOkResponse({ type: LogoutResponseDto })
  @ApiErrors(401)
  async logout(@CurrentUser() user: AuthUser, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LogoutResponse> {
    const result = await this.auth.logout(user);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    return result;
  }
}

@ApiTags('auth')
@ApiBearerAuth()
@ApiSecurity(API_TOKEN_SCHEME)
@ApiCookieAuth()
@RequiresScope('read')
@Controller({ path: 'me', version: '1' })
export class MeController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser): MeResponse {
    return describeMe(this.config, user);
  }
}

/** The user as `GET /v1/me` shows them, with their generation limits. */
function describeMe(config: AppConfig, user: AuthUser): MeResponse {
  const limits = generationLimitsFor(config, user);
  return {
    ...UsersService.toMe(user),
    limits: { maxDurationSeconds: limits.maxDurationSeconds, dailySeconds: limits.dailySecondsQuota, maxActiveJobs: limits.maxActiveJobsPerUser },
  };
}
