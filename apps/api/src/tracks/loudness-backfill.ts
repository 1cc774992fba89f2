import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { MigrationStatus } from '../database/migration-status';
import { TracksService } from './tracks.service';

/** Tracks measured per transaction. */
const BATCH = 20;
/** How often a worker looks for tracks without loudness (made before it was measured, or whose file was unreadable). */
const PASS_INTERVAL_MS = 15 * 60_000;

/**
 * The worker's loudness backfill: measures, in batches, the tracks that have no
 * loudness yet — those made before loudness was measured at intake — so their responses
 * go from `loudness: null` to the measured values without anyone asking. One pass at
 * start, then every PASS_INTERVAL_MS; each pass walks the unmeasured rows oldest first
 * once (a file that cannot be read waits for the next pass). Several workers share the
 * rows (SKIP LOCKED in TracksService.backfillLoudness).
 */
@Injectable()
export class LoudnessBackfill implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LoudnessBackfill.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopping = false;

  constructor(
    private readonly migrations: MigrationStatus,
    private readonly tracks: TracksService,
  ) {}

  onApplicationBootstrap(): void {
    const start = async () => {
      if (!(await this.migrations.applied(() => this.stopping))) return;
      void this.pass();
      this.timer = setInterval(() => void this.pass(), PASS_INTERVAL_MS);
      this.timer.unref();
    };
    start().catch((error: Error) => this.logger.warn(`loudness backfill did not start: ${error.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over the unmeasured tracks (joins the pass under way, if any); resolves with how many were measured. */
  pass(): Promise<number> {
    this.running ??= this.passOnce()
      .catch((error: Error) => {
        this.logger.warn(`loudness backfill pass failed: ${error.message}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async passOnce(): Promise<number> {
    let after: { createdAt: Date; id: string } | null = null;
    let measured = 0;
    while (!this.stopping) {
      const batch = await this.tracks.backfillLoudness(BATCH, after);
      measured += batch.measured;
      if (batch.examined < BATCH || !batch.last) break;
      after = batch.last;
    }
    if (measured) this.logger.log(`loudness backfill: measured ${measured} track(s)`);
    return measured;
  }
}
