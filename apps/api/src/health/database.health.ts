import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../common/timeout';
import { pendingMigrations } from '../database/migrate';

/** The database answers within a deadline and has every migration of this build applied. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'database') {
    const indicator = this.health.check(key);
    try {
      const pending = await withTimeout(pendingMigrations(this.dataSource), 3000);
      if (pending.length) return indicator.down({ message: `migrations not applied: ${pending.join(', ')}` });
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: `database unreachable: ${(error as Error).message}` });
    }
  }
}
