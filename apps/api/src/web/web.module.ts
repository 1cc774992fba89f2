import { Logger, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { SharesModule } from '../shares/shares.module';
import { SharesService } from '../shares/shares.service';
import type { SharePreview } from './share-preview';
import { findWebRoot, webClientMiddleware } from './web-client';

/** The production web client (`nx build web`) at `/`, beside the API at `/v1` and its docs at `/docs`. */
@Module({ imports: [SharesModule] })
export class WebModule implements NestModule {
  private readonly logger = new Logger('Web');

  constructor(private readonly shares: SharesService) {}

  configure(consumer: MiddlewareConsumer): void {
    const root = findWebRoot();
    if (root) this.logger.log(`serving the web client from ${root}`);
    else this.logger.warn('the web client is not built (dist/apps/web/browser); run `npx nx build web`');
    consumer.apply(webClientMiddleware(root, (token) => this.sharePreview(token))).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  /** A valid, active link's track; null for an unknown, expired or revoked one, or when the database cannot tell. */
  private async sharePreview(token: string): Promise<SharePreview | null> {
    try {
      const { target: track } = await this.shares.resolve(token);
      return { title: track.title, description: track.promptRaw, duration: track.durationSeconds, audioMimeType: track.mimeType };
    } catch (error) {
      if (!(error instanceof ApiError && error.getStatus() === 404)) this.logger.warn(`no link preview for a share page: ${(error as Error).message}`);
      return null;
    }
  }
}
