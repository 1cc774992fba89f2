import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AdminController } from './admin/admin.controller';
import { AdminModule } from './admin/admin.module';
import { AuthController, MeController } from './auth/auth.controller';
import { AuthModule } from './auth/auth.module';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { OidcController } from './auth/oidc/oidc.controller';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { EnginesController } from './engines/engines.controller';
import { GenerationsController } from './generations/generations.controller';
import { GenerationsModule } from './generations/generations.module';
import { HealthController } from './health/health.controller';
import { HealthModule } from './health/health.module';
import { HfTokenController } from './hf-token/hf-token.controller';
import { HfTokenModule } from './hf-token/hf-token.module';
import { LibraryController, TracksController } from './library/library.controller';
import { LibraryModule } from './library/library.module';
import { SharedController, StreamController } from './library/stream.controller';
import { PlaylistsController, SharedPlaylistsController } from './playlists/playlists.controller';
import { PlaylistsModule } from './playlists/playlists.module';
import { ReferencesController } from './references/references.controller';
import { ReferencesModule } from './references/references.module';
import { SharesModule } from './shares/shares.module';
import { TokensController } from './tokens/tokens.controller';
import { TokensModule } from './tokens/tokens.module';
import { TracksModule } from './tracks/tracks.module';
import { UsersModule } from './users/users.module';
import { WebModule } from './web/web.module';
import { AdminWebhooksController, WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The HTTP side: every controller, the global authentication guard, the error filter
 * and the web client. Feature modules hold services only; no queue
 * processor or scheduled job lives here (WorkerModule).
 */
@Module({
  imports: [
    UsersModule,
    AuthModule,
    TokensModule,
    HfTokenModule,
    AdminModule,
    TracksModule,
    ReferencesModule,
    GenerationsModule,
    SharesModule,
    LibraryModule,
    PlaylistsModule,
    WebhooksModule,
    HealthModule,
    // Last: its middleware answers every path the API does not.
    WebModule,
  ],
  // In the order Express matches them.
  controllers: [
    EnginesController,
    HfTokenController,
    AuthController,
    MeController,
    OidcController,
    TokensController,
    AdminController,
    GenerationsController,
    ReferencesController,
    LibraryController,
    TracksController,
    StreamController,
    SharedController,
    PlaylistsController,
    SharedPlaylistsController,
    WebhooksController,
    AdminWebhooksController,
    HealthController,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    // Every route needs a session or an API token unless marked @Public().
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
})
export class ApiModule {}
