import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EngineListResponse } from '@texttune/contracts';
import { RequiresScope } from '../auth/scopes';
import { ApiErrors } from '../common/openapi';
import { EngineRegistry } from './engine-registry';

@ApiTags('engines')
@ApiBearerAuth()
@ApiCookieAuth()
@RequiresScope('read')
@Controller({ path: 'engines', version: '1' })
export class EnginesController {
  constructor(private readonly registry: EngineRegistry) {}

  @Get()
  @ApiOperation({ summary: 'The music engines of this server: readiness, what each supports, the default' })
  @ApiOkResponse({ schema: { example: { items: [{ id: 'offline', kind: 'offline', label: 'TextTune offline engine', ready: true, reason: null, default: true }] } } })
  @ApiErrors(401)
  async list(): Promise<EngineListResponse> {
    return { items: await this.registry.describeAll() };
  }
}
