import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { ApiTokenListResponse, CreatedApiTokenResponse } from '@texttune/contracts';
import { CurrentUser, type AuthUser } from '../auth/auth-user';
import { RequiresScope } from '../auth/scopes';
import { API_TOKEN_SCHEME, ApiErrors } from '../common/openapi';
import { ApiTokenListDto, CreateApiTokenDto, CreatedApiTokenDto } from './dto';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@ApiSecurity(API_TOKEN_SCHEME)
@ApiCookieAuth()
@RequiresScope('manage')
@Controller({ path: 'tokens', version: '1' })
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a personal API token',
    description:
      'For scripts and back ends: send it as `Authorization: Bearer <token>`; it acts with your permissions, limited to its `scopes`, until it expires or is revoked. The token is in this answer only (the server keeps just its hash). `admin` can be granted by admins only (403 `scope_not_grantable`); a token creating a token can grant only scopes it holds (403 `insufficient_scope`).',
  })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiErrors(400, 401, 403, 409)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    return this.tokens.create(user, body.name, body.expiresInDays, body.scopes);
  }

  @Get()
  @ApiOperation({ summary: 'Your API tokens (not revoked), newest first: name, scopes, created, expires, last used' })
  @ApiOkResponse({ type: ApiTokenListDto })
  @ApiErrors(401)
  list(@CurrentUser() user: AuthUser): Promise<ApiTokenListResponse> {
    return this.tokens.list(user);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API token: it stops working at once' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  revoke(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.tokens.revoke(user, id);
  }
}
