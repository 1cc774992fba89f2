import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { SESSION_COOKIE, type AuthConfigResponse, type AuthResponse, type MeResponse } from '@texttune/contracts';
import type { CookieOptions, Request, Response } from 'express';
import { ApiErrors } from '../common/openapi';
import { UsersService } from '../users/users.service';
import { CurrentUser, Public, type AuthUser } from './auth-user';
import { AuthService, type ClientInfo } from './auth.service';
import { AuthConfigDto, AuthResponseDto, LoginDto, MeDto, RegisterDto } from './dto';

const clientInfo = (req: Request): ClientInfo => ({ ip: req.ip, userAgent: req.get('user-agent') });

function cookieOptions(req: Request, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', ...(expires ? { expires } : {}) };
}

function setSessionCookie(req: Request, res: Response, auth: AuthResponse): AuthResponse {
  res.cookie(SESSION_COOKIE, auth.accessToken, cookieOptions(req, new Date(auth.expiresAt)));
  return auth;
}

@ApiTags('auth')
@Controller({ path: 'auth', version: '1' })
@UseGuards(ThrottlerGuard)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @SkipThrottle()
  @Get('config')
  @ApiOperation({ summary: 'Which sign-in methods this server offers' })
  @ApiOkResponse({ type: AuthConfigDto })
  config(): AuthConfigResponse {
    return this.auth.describe();
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in',
    description: 'With `password`: password sign-in. Without: the quick email login, which finds or creates the account (AUTH_MODE=open only). Sets the httpOnly session cookie and returns the same token for `Authorization: Bearer`.',
  })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiErrors(400, 401, 403, 429)
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    const result = body.password === undefined ? await this.auth.loginWithEmail(body.email, clientInfo(req)) : await this.auth.loginWithPassword(body.email, body.password, clientInfo(req));
    return setSessionCookie(req, res, result);
  }

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account with a password' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiErrors(400, 409, 429)
  async register(@Body() body: RegisterDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    return setSessionCookie(req, res, await this.auth.register(body.email, body.password, clientInfo(req)));
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
  @SkipThrottle()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Sign out: the session is revoked server-side and its token stops working at once' })
  @ApiNoContentResponse()
  @ApiErrors(401)
  async logout(@CurrentUser() user: AuthUser, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(user.sessionId);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
  }
}

@ApiTags('auth')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller({ path: 'me', version: '1' })
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser): MeResponse {
    return UsersService.toMe(user);
  }
}
