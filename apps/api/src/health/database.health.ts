import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../common/timeout';
import { MigrationStatus } from '../database/migration-status';

/** The database answers within a deadline and has every migration of this build applied. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly migrations: MigrationStatus,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'database') {
    const indicator = this.health.check(key);
    try {
      const pending = await withTimeout(this.migrations.pending(), 3000);
      if (pending.length) return indicator.down({ message: `migrations not applied: ${pending.join(', ')}` });
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: `database unreachable: ${(error as Error).message}` });
    }
  }
}
