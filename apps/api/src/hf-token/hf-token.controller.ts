import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { HfTokenStatus } from '@texttune/contracts';
import { CurrentUser, type AuthUser } from '../auth/auth-user';
import { RequiresScope } from '../auth/scopes';
import { API_TOKEN_SCHEME, ApiErrors } from '../common/openapi';
import { HfTokenStatusDto, SetHfTokenDto } from './dto';
import { HfTokenService } from './hf-token.service';

@ApiTags('settings')
@ApiBearerAuth()
@ApiSecurity(API_TOKEN_SCHEME)
@ApiCookieAuth()
@Controller({ path: 'me/hf-token', version: '1' })
export class HfTokenController {
  constructor(private readonly tokens: HfTokenService) {}

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'Your Hugging Face token: whether one is set, its last 4 characters and account (never the token)' })
  @ApiOkResponse({ type: HfTokenStatusDto })
  @ApiErrors(401)
  status(@CurrentUser() user: AuthUser): Promise<HfTokenStatus> {
    return this.tokens.status(user.id);
  }

  @Put()
  @RequiresScope('manage')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set or replace your Hugging Face token',
    description:
      'Your jobs then call the Space with it (your own ZeroGPU quota and private Spaces). It is checked once with Hugging Face (whoami): refused with 400 `hf_token_invalid` when Hugging Face does not know it, saved `unverified` with a warning when Hugging Face cannot be reached. Stored encrypted; never returned.',
  })
  @ApiOkResponse({ type: HfTokenStatusDto })
  @ApiErrors(400, 401, 503)
  set(@CurrentUser() user: AuthUser, @Body() body: SetHfTokenDto): Promise<HfTokenStatus> {
    return this.tokens.set(user.id, body.token);
  }

  @Delete()
  @RequiresScope('manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove your Hugging Face token (jobs then follow the server\u2019s policy)' })
  @ApiNoContentResponse()
  @ApiErrors(401)
  remove(@CurrentUser() user: AuthUser): Promise<void> {
    return this.tokens.remove(user.id);
  }
}
