import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';
import { EnginesHealthIndicator, QueueHealthIndicator, StorageHealthIndicator } from './dependencies.health';
import { HealthFileReporter } from './health-file';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [DatabaseHealthIndicator, QueueHealthIndicator, StorageHealthIndicator, EnginesHealthIndicator, HealthFileReporter],
  exports: [TerminusModule, DatabaseHealthIndicator, QueueHealthIndicator, StorageHealthIndicator, EnginesHealthIndicator],
})
export class HealthModule {}
