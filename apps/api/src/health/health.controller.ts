import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/auth-user';
import { ErrorResponseDto } from '../common/openapi';
import { DatabaseHealthIndicator } from './database.health';
import { EnginesHealthIndicator, QueueHealthIndicator, StorageHealthIndicator } from './dependencies.health';

@ApiTags('health')
@Public()
@Controller({ path: 'health', version: '1' })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly queue: QueueHealthIndicator,
    private readonly storage: StorageHealthIndicator,
    private readonly engines: EnginesHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: database (migrated), queue, storage and at least one engine are usable; 503 names the failing parts' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto })
  ready() {
    return this.health.check([() => this.database.check(), () => this.queue.check(), () => this.storage.check(), () => this.engines.check()]);
  }
}
