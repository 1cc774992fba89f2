import { Logger, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { findWebRoot, webClientMiddleware } from './web-client';

/** The production web client (`nx build web`) at `/`, beside the API at `/v1` and its docs at `/docs`. */
@Module({})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    const root = findWebRoot();
    if (root) new Logger('Web').log(`serving the web client from ${root}`);
    else new Logger('Web').warn('the web client is not built (dist/apps/web/browser); run `npx nx build web`');
    consumer.apply(webClientMiddleware(root)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
