import { Controller, Get, Module, RequestMethod, VersioningType, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { findWebRoot, webClientMiddleware } from './web-client';

describe('web client middleware (SPA at /, API at /v1 and /docs)', () => {
  let root: string;
  let app: NestExpressApplication;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'texttune-web-'));
    await writeFile(path.join(root, 'index.html'), '<!doctype html><tt-root></tt-root>');
    await writeFile(path.join(root, 'main-ABCD1234.js'), 'console.log("main")');
    await writeFile(path.join(root, 'favicon.svg'), '<svg/>');
    await mkdir(path.join(root, 'media'));
    await writeFile(path.join(os.tmpdir(), 'texttune-secret.txt'), 'TOP-SECRET-CONTENT');

    @Controller({ path: 'things', version: '1' })
    class ThingsController {
      @Get()
      list() {
        return { items: [] };
      }
    }
    @Module({ controllers: [ThingsController] })
    class TestModule implements NestModule {
      configure(consumer: MiddlewareConsumer) {
        consumer.apply(webClientMiddleware(root)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
      }
    }
    app = await NestFactory.create<NestExpressApplication>(TestModule, { logger: false });
    app.enableVersioning({ type: VersioningType.URI });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
    await rm(path.join(os.tmpdir(), 'texttune-secret.txt'), { force: true });
  });

  it('answers / and client routes with index.html, revalidated', async () => {
    for (const url of ['/', '/library', '/tracks/123', '/s/some-token?x=1', '/s/4be8.mx7pt75v.8JhLMUM-NR7rag1ubJ9w3_UGVM']) {
      const res = await request(app.getHttpServer()).get(url).set('Accept', 'text/html').expect(200);
      expect(res.text).toContain('<tt-root>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('caches hashed assets for a year and others briefly', async () => {
    const hashed = await request(app.getHttpServer()).get('/main-ABCD1234.js').expect(200);
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(hashed.headers['content-type']).toMatch(/javascript/);
    const plain = await request(app.getHttpServer()).get('/favicon.svg').expect(200);
    expect(plain.headers['cache-control']).toBe('no-cache');
    await request(app.getHttpServer()).head('/main-ABCD1234.js').expect(200);
  });

  it('leaves the API and its docs alone', async () => {
    expect((await request(app.getHttpServer()).get('/v1/things').expect(200)).body).toEqual({ items: [] });
    await request(app.getHttpServer()).get('/v1/nothing-here').set('Accept', 'text/html').expect(404);
    await request(app.getHttpServer()).get('/docs').set('Accept', 'text/html').expect(404);
    await request(app.getHttpServer()).post('/library').expect(404);
  });

  it('does not answer missing files or non-HTML requests with the shell, nor leave the folder', async () => {
    await request(app.getHttpServer()).get('/chunk-MISSING1.js').expect(404);
    await request(app.getHttpServer()).get('/library').set('Accept', 'application/json').expect(404);
    for (const url of ['/../texttune-secret.txt', '/%2e%2e/texttune-secret.txt', '/..%2ftexttune-secret.txt']) {
      const res = await request(app.getHttpServer()).get(url);
      expect(res.text ?? '').not.toContain('TOP-SECRET-CONTENT');
    }
  });

  it('finds the build beside the compiled API or under the working directory', () => {
    expect(findWebRoot(['/nonexistent', root])).toBe(root);
    expect(findWebRoot(['/nonexistent'])).toBeUndefined();
  });
});
