import { Controller, Get, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SIGN_IN_ERROR_PARAM, SIGN_IN_PATH, type OidcErrorReason } from '@texttune/contracts';
import type { Request, Response } from 'express';
import { Public } from '../auth-user';
import { AuthService } from '../auth.service';
import { clientInfo, cookieOptions, setSessionCookie } from '../cookies';
import { OIDC_FLOW_COOKIE, OIDC_FLOW_COOKIE_PATH, OIDC_FLOW_TTL_MS, safeReturnUrl } from './flow-cookie';
import { OidcFailure, OidcService } from './oidc.service';

/** The web client's sign-in page showing `reason`, keeping where the user was going. */
function signInPage(reason: OidcErrorReason, returnUrl?: string): string {
  const query = new URLSearchParams({ [SIGN_IN_ERROR_PARAM]: reason });
  if (returnUrl && returnUrl !== '/') query.set('returnUrl', returnUrl);
  return `${SIGN_IN_PATH}?${query.toString()}`;
}

/**
 * Single sign-on by browser redirects. Both routes answer with redirects only, never
 * JSON: success lands on the page the user came from with the session cookie set,
 * failure on the sign-in page with `?error=<reason>` (and no session).
 */
@ApiTags('auth')
@Controller({ path: 'auth/oidc', version: '1' })
export class OidcController {
  private readonly logger = new Logger('OIDC');

  constructor(
    private readonly oidc: OidcService,
    private readonly auth: AuthService,
  ) {}

  @Public()
  @Get('login')
  @ApiOperation({
    summary: 'Sign in with the organisation\u2019s identity provider (browser navigation)',
    description: 'Redirects to the provider (authorization code flow with PKCE, state and nonce). Failures redirect to the sign-in page with `?error=<reason>`.',
  })
  @ApiQuery({ name: 'returnUrl', required: false, description: 'A path on this site to land on after sign-in (default `/`).' })
  @ApiResponse({ status: 302, description: 'To the provider, or to the sign-in page with `?error=`.' })
  async login(@Query('returnUrl') returnUrl: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const target = safeReturnUrl(returnUrl);
    try {
      const { url, cookie } = await this.oidc.start(target);
      res.cookie(OIDC_FLOW_COOKIE, cookie, { ...cookieOptions(req, undefined, OIDC_FLOW_COOKIE_PATH), maxAge: OIDC_FLOW_TTL_MS });
      res.redirect(302, url);
    } catch (error) {
      this.fail(res, error, target);
    }
  }

  @Public()
  @Get('callback')
  @ApiOperation({ summary: 'Where the provider sends the browser back (OIDC_REDIRECT_URI)', description: 'Sets the session cookie and redirects to the return URL, or to the sign-in page with `?error=<reason>`.' })
  @ApiResponse({ status: 302, description: 'To the return URL (signed in), or to the sign-in page with `?error=`.' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const cookie = (req.cookies as Record<string, string | undefined> | undefined)?.[OIDC_FLOW_COOKIE];
    // One use per flow, whatever the outcome.
    res.clearCookie(OIDC_FLOW_COOKIE, cookieOptions(req, undefined, OIDC_FLOW_COOKIE_PATH));
    const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    try {
      const identity = await this.oidc.finish(search, cookie);
      const user = await this.oidc.accountFor(identity);
      setSessionCookie(req, res, await this.auth.openSession(user, clientInfo(req), { idToken: identity.idToken }));
      res.redirect(302, identity.returnUrl);
    } catch (error) {
      this.fail(res, error, this.oidc.returnUrlOf(cookie));
    }
  }

  private fail(res: Response, error: unknown, returnUrl?: string): void {
    if (!(error instanceof OidcFailure)) {
      this.logger.error({ err: error }, 'single sign-on failed unexpectedly');
      res.redirect(302, signInPage('oidc_provider_error', returnUrl));
      return;
    }
    this.logger.warn(`sign-in refused (${error.reason}): ${error.message}`);
    res.redirect(302, signInPage(error.reason, returnUrl));
  }
}
