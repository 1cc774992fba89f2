/**
 * The Swagger UI sample port (support/swagger-ui-sample.ts) checked against Swagger UI
 * itself: in Debian's Chromium, /docs, every operation that takes a JSON body is opened,
 * "Try it out" pressed, and the body editor's text compared with what the port builds.
 * openapi-examples.int-spec.ts then relies on the port to execute those bodies.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { chromium, type BrowserContext } from 'playwright-core';
import { defaultRequestBody, type MediaTypeObject } from './support/swagger-ui-sample';
import { startTestApp, type TestApp } from './support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

describe('Swagger UI prefills what the sample port builds', () => {
  let t: TestApp;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH.`);
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    profile = await mkdtemp(path.join(os.tmpdir(), 'texttune-swagger-ui-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 60_000);
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (profile) await rm(profile, { recursive: true, force: true });
    await t?.close();
  });

  it('for every operation with a JSON body, the body editor holds exactly the port\u2019s sample', async () => {
    const document = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenAPIV3.Document;
    const resolved = (await SwaggerParser.dereference(structuredClone(document) as never)) as OpenAPIV3.Document;
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/docs/`);
    await page.waitForSelector('.opblock');
    let compared = 0;
    for (const [route, item] of Object.entries(resolved.paths)) {
      for (const method of METHODS) {
        const operation = item?.[method];
        const media = (operation?.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content['application/json'];
        if (!operation || !media) continue;
        const block = page.locator(`[id="operations-${operation.tags?.[0] ?? 'default'}-${operation.operationId}"]`);
        await block.locator('.opblock-summary-control').click();
        await block.locator('button.try-out__btn').click();
        const prefilled = await block.locator('textarea.body-param__text').inputValue();
        expect({ operation: `${method.toUpperCase()} ${route}`, body: JSON.parse(prefilled) as unknown }).toEqual({
          operation: `${method.toUpperCase()} ${route}`,
          body: JSON.parse(defaultRequestBody(media as MediaTypeObject)) as unknown,
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
  }, 120_000);
});
