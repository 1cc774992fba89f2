import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';
import { EnginesHealthIndicator, QueueHealthIndicator, StorageHealthIndicator } from './dependencies.health';
import { HealthFileReporter } from './health-file';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, QueueHealthIndicator, StorageHealthIndicator, EnginesHealthIndicator, HealthFileReporter],
})
export class HealthModule {}
