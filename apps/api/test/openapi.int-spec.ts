import { startTestApp, type TestApp } from './support/test-app';

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[]; responses: Record<string, unknown>; requestBody?: unknown }>>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string }>; schemas: Record<string, unknown> };
}

describe('OpenAPI and Swagger UI', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => t.close());

  it('lists every route under /v1', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      expect.arrayContaining(['/v1/auth/config', '/v1/auth/login', '/v1/auth/register', '/v1/auth/guest', '/v1/auth/logout', '/v1/me', '/v1/health', '/v1/health/ready']),
    );
  });

  it('declares bearer auth on protected routes so Authorize + Try it out works', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/me'].get.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    expect(doc.paths['/v1/auth/login'].post.security).toBeUndefined();
  });

  it('documents request bodies, responses and the shared error shape', () => {
    expect(doc.paths['/v1/auth/login'].post.requestBody).toBeDefined();
    expect(Object.keys(doc.paths['/v1/auth/login'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
    expect(doc.components.schemas).toHaveProperty('ErrorResponseDto');
    expect(doc.components.schemas).toHaveProperty('LoginDto');
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.http().get('/docs/').expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});
