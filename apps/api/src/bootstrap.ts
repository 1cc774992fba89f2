import { VersioningType, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from '@texttune/contracts';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { Server } from 'node:http';
import { AppModule, type AppModuleOptions } from './app.module';
import { bodyParserErrors } from './common/body-parser-errors';
import { refuseDeepJson } from './common/json-depth';
import { createValidationPipe } from './common/validation';
import { runMigrationsLocked } from './database/migrate';
import { addApiTokenSecurity } from './tokens/openapi';
import { storageMediaOrigin } from './storage/storage.module';

export interface ApiAppOptions extends AppModuleOptions {
  /** Apply pending migrations (under the advisory lock) before serving. Default true. */
  migrate?: boolean;
}

/**
 * The OpenAPI document: every route, its schemas and errors, bearer and cookie auth.
 * It reads only the routes' metadata, so it can be built from an application created in
 * preview mode, without a database (openapi-dump.ts); the app must have `/v1` versioning on.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TextTune API')
      .setDescription('Text-to-music for teams. Sign in with `POST /v1/auth/login` (or `/v1/auth/guest`), then press **Authorize** and paste the `accessToken`.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addCookieAuth(SESSION_COOKIE)
      .build(),
  );
  return addApiTokenSecurity(document);
}

function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'TextTune API',
  });
}

/**
 * Builds the HTTP application of the `api` or `all` role: security headers, CORS, body
 * limit, cookies, `/v1` versioning, validation, Swagger UI. Used by `main.ts` and by the
 * integration tests, so the tests exercise exactly what runs in production.
 */
export async function createApiApp({ migrate = true, ...options }: ApiAppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const { config } = options;
  const mediaOrigin = storageMediaOrigin(config);
  if (config.http.trustProxy) app.set('trust proxy', true);
  app.disable('x-powered-by');
  app.use(
    helmet({
      // Swagger UI and the web client load only their own scripts; styles may be inline.
      // No upgrade-insecure-requests: on-prem servers are often reached over plain HTTP at a
      // LAN address, where it would make browsers fetch the page's own files over HTTPS.
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          // With S3 presigned redirects, <audio> follows /v1/stream/… to the bucket.
          'media-src': ["'self'", 'blob:', ...(mediaOrigin ? [mediaOrigin] : [])],
          'upgrade-insecure-requests': null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  if (config.http.allowOrigins.length) {
    const any = config.http.allowOrigins.includes('*');
    app.enableCors({ origin: any ? '*' : config.http.allowOrigins, credentials: !any, exposedHeaders: ['X-Request-Id', 'Retry-After', 'Content-Range', 'Content-Disposition', 'Idempotent-Replayed'] });
  }
  app.useBodyParser('json', { limit: config.http.bodyLimit, verify: refuseDeepJson() });
  app.use(bodyParserErrors);
  app.use(cookieParser());
  app.enableVersioning({ type: VersioningType.URI });
  app.useGlobalPipes(createValidationPipe());
  if (config.docs.enabled) setUpSwagger(app);

  if (migrate) {
    const applied = await runMigrationsLocked(app.get(DataSource));
    if (applied.length) app.get(Logger).log(`applied migrations: ${applied.join(', ')}`, 'Database');
  }
  // Node closes an idle keep-alive connection after 5 s; a portal's HTTP client or a load
  // balancer that reuses the connection at that moment sees a reset instead of an answer.
  // Idle connections stay open past the usual 60 s of load balancers instead.
  const server: Server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await app.init();
  return app;
}

/** The worker role: the WorkerModule, with no HTTP server (it waits for the API's migrations). */
export async function createWorkerContext(options: AppModuleOptions): Promise<INestApplicationContext> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(options, 'worker'), { bufferLogs: true });
  context.useLogger(context.get(Logger));
  context.flushLogs();
  await context.init();
  return context;
}
