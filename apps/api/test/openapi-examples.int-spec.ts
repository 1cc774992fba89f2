/**
 * Does what a first-time user does in Swagger UI: for every operation of
 * /docs/openapi.json, "Try it out" with the prefilled body (built as Swagger UI builds it,
 * see support/swagger-ui-sample.ts), path parameters filled with real resources of the
 * signed-in user (an admin for /v1/admin), then Execute. Every call must answer its
 * documented 2xx, with a body that matches the documented schema. The real offline engine
 * renders the music; a second engine fails once on purpose, to make a failed job to retry.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { encodeWavPcm16 } from '@texttune/audio';
import type { GenerationResponse, PlaylistShareResponse, ShareResponse } from '@texttune/contracts';
import Ajv from 'ajv8';
import { randomBytes } from 'node:crypto';
import type { OpenAPIV3 } from 'openapi-types';
import { EngineError } from '../src/engines/music-engine';
import { OfflineEngine } from '../src/engines/local/offline-engine';
import { signIn, waitForStatus } from './support/helpers';
import { defaultRequestBody, sampleFromSchema, type MediaTypeObject, type SampleSchema } from './support/swagger-ui-sample';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

type Auth = { Authorization: string };
type Operation = OpenAPIV3.OperationObject;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'] as const;

/** Operations "Try it out" cannot complete here, and why. */
const NOT_TRIED: Record<string, string> = {
  'GET /v1/auth/oidc/login': 'a browser redirect to an OpenID provider (none is configured here; oidc.int-spec.ts drives it)',
  'GET /v1/auth/oidc/callback': 'the OpenID provider\u2019s redirect back, with its one-time code (oidc.int-spec.ts)',
};

/** OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a `null` alternative. */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const { nullable, example, ...rest } = schema as Record<string, unknown>;
  void example;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toJsonSchema(v)])) : toJsonSchema(value)]));
  return nullable ? { anyOf: [converted, { type: 'null' }] } : converted;
}

describe('Swagger UI "Try it out" with the prefilled examples', () => {
  let t: TestApp;
  let document: OpenAPIV3.Document;
  let resolved: OpenAPIV3.Document;
  let user: Auth;
  let admin: Auth;
  const failing = new TestEngine('failing', { failures: [new EngineError('invalid_output', 'The test engine fails its first take on purpose.')] });

  beforeAll(async () => {
    t = await startTestApp(
      {
        ADMIN_EMAILS: 'admin@example.com',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
        MAX_ACTIVE_JOBS_PER_USER: '20',
        MAX_DURATION_SECONDS: '12',
        SECRETS_KEY: randomBytes(32).toString('base64'),
        // No Hugging Face here: a token that cannot be checked is stored "unverified".
        HF_HUB_URL: 'http://127.0.0.1:9',
        HF_HUB_TIMEOUT_MS: '300',
      },
      { engines: [new OfflineEngine(), failing] },
    );
    await t.app.listen(0, '127.0.0.1');
    document = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenAPIV3.Document;
    resolved = (await SwaggerParser.dereference(structuredClone(document) as never)) as OpenAPIV3.Document;
    user = await signIn(t);
    admin = await signIn(t, 'admin@example.com');
  }, 60_000);
  afterAll(() => t?.close());

  it('is a valid OpenAPI document (swagger-parser finds no errors)', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  // ---- real resources for the path parameters ------------------------------------------

  const generate = async (auth: Auth, body: Record<string, unknown>, statuses: GenerationResponse['status'][] = ['succeeded']) => {
    const job = (await t.http().post('/v1/generations').set(auth).send(body).expect(202)).body as GenerationResponse;
    return waitForStatus(t, auth, job.job_id, statuses, 60_000);
  };
  let tracks: string[] | undefined;
  /** Tracks of `user`, rendered by the offline engine: one to look at, the others to delete. */
  const track = async (index: number) => {
    tracks ??= (await generate(user, { prompt: 'calm lo-fi piano, 80 bpm', duration: 1, variations: 4, engine: 'offline' })).track_ids;
    return tracks[index];
  };
  const trackShare = async (body: { allowDownload?: boolean } = {}) => (await t.http().post(`/v1/tracks/${await track(0)}/share`).set(user).send(body).expect(201)).body as ShareResponse;
  const playlist = async (withTrack: boolean) => {
    const created = (await t.http().post('/v1/playlists').set(user).send({ title: 'fixtures' }).expect(201)).body as { id: string };
    if (withTrack) await t.http().post(`/v1/playlists/${created.id}/tracks`).set(user).send({ trackId: await track(0) }).expect(200);
    return created.id;
  };
  const playlistShare = async (id: string, body: { allowDownload?: boolean } = {}) => (await t.http().post(`/v1/playlists/${id}/share`).set(user).send(body).expect(201)).body as PlaylistShareResponse;
  const lastSegment = (url: string) => url.split('/').filter(Boolean).pop() as string;
  const reference = async () => (await t.http().post('/v1/references').set(user).attach('file', wav(), 'melody.wav').expect(201)).body.id as string;
  const wav = () => encodeWavPcm16([new Float32Array(8000).map((_, i) => 0.2 * Math.sin(i / 10))], 16000);

  /** Who calls the operation, the values of its path parameters, and ids a user types into its body. */
  async function prepare(method: string, path: string): Promise<{ auth?: Auth; params: Record<string, string>; bodyIds?: Record<string, unknown> }> {
    const key = `${method.toUpperCase()} ${path}`;
    switch (key) {
      case 'POST /v1/auth/logout':
        return { auth: await signIn(t), params: {} }; // a session of its own, ended by the call
      case 'GET /v1/generations/{id}':
      case 'GET /v1/generations/{id}/events':
        return { params: { id: (await generate(user, { prompt: 'rain on a tin roof', duration: 1, engine: 'offline' })).job_id } };
      case 'POST /v1/generations/{id}/cancel':
        return { params: { id: ((await t.http().post('/v1/generations').set(user).send({ prompt: 'a long ambient drone', duration: 12, engine: 'offline' }).expect(202)).body as GenerationResponse).job_id } };
      case 'DELETE /v1/library/{id}':
        return { params: { id: await track(1) } };
      case 'DELETE /v1/tracks/{id}':
        return { params: { id: await track(2) } };
      case 'DELETE /v1/tracks/{id}/shares/{shareId}': {
        const share = await trackShare();
        return { params: { id: share.track_id, shareId: share.id } };
      }
      case 'GET /v1/shared/{token}':
      case 'GET /v1/shared/{token}/peaks':
      case 'GET /v1/shared/{token}/stream':
      case 'GET /v1/shared/{token}/preview.png':
        return { auth: undefined, params: { token: lastSegment((await trackShare()).url) } };
      case 'GET /v1/shared/{token}/download':
        return { auth: undefined, params: { token: lastSegment((await trackShare({ allowDownload: true })).url) } };
      case 'POST /v1/playlists/{id}/tracks':
        return { params: { id: await playlist(false) }, bodyIds: { trackId: await track(0) } };
      case 'PUT /v1/playlists/{id}/order':
        return { params: { id: await playlist(true) }, bodyIds: { trackIds: [await track(0)] } };
      case 'DELETE /v1/playlists/{id}/tracks/{trackId}':
        return { params: { id: await playlist(true), trackId: await track(0) } };
      case 'DELETE /v1/playlists/{id}/shares/{shareId}': {
        const share = await playlistShare(await playlist(true));
        return { params: { id: share.playlist_id, shareId: share.id } };
      }
      case 'GET /v1/shared-playlists/{token}':
      case 'GET /v1/shared-playlists/{token}/tracks/{trackId}/peaks':
      case 'GET /v1/shared-playlists/{token}/tracks/{trackId}/stream':
        return { auth: undefined, params: { token: lastSegment((await playlistShare(await playlist(true))).url), trackId: await track(0) } };
      case 'GET /v1/shared-playlists/{token}/tracks/{trackId}/download':
        return { auth: undefined, params: { token: lastSegment((await playlistShare(await playlist(true), { allowDownload: true })).url), trackId: await track(0) } };
      case 'GET /v1/references/{id}':
      case 'DELETE /v1/references/{id}':
        return { params: { id: await reference() } };
      case 'GET /v1/admin/users/{id}':
      case 'PATCH /v1/admin/users/{id}':
      case 'DELETE /v1/admin/users/{id}':
        return { auth: admin, params: { id: ((await t.http().get('/v1/me').set(await signIn(t)).expect(200)).body as { id: string }).id } };
      case 'POST /v1/admin/jobs/{id}/retry':
        return { auth: admin, params: { id: (await generate(user, { prompt: 'fails once', duration: 1, engine: 'failing' }, ['failed'])).job_id } };
    }
    if (/^\/v1\/(tracks|stream|download)\/\{id\}/.test(path)) return { params: { id: await track(0) } };
    if (/^\/v1\/playlists\/\{id\}/.test(path)) return { params: { id: await playlist(true) } };
    // A collection whose POST takes a JSON body: the resource its prefilled example creates.
    const collection = /^(\/v1\/[^{}]+)\/\{id\}(\/[^{}]*)?$/.exec(path)?.[1];
    const create = collection ? resolved.paths[collection]?.post : undefined;
    const createBody = (create?.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content['application/json'] as MediaTypeObject | undefined;
    if (collection && createBody) {
      const owner = collection.startsWith('/v1/admin/') ? admin : user;
      const created = await t.http().post(collection).set(owner).set('Content-Type', 'application/json').send(defaultRequestBody(createBody));
      if (created.status >= 300 || typeof created.body?.id !== 'string') throw new Error(`${key}: POST ${collection} with its example answered ${created.status}, not a resource with an id`);
      return { auth: owner, params: { id: created.body.id as string } };
    }
    if (path.includes('{')) throw new Error(`${key}: no resource for its path parameters; add one to prepare() in this test`);
    return { auth: path.startsWith('/v1/admin/') ? admin : user, params: {} };
  }

  /**
   * The query and header parameters Swagger UI fills in (parameter-row.jsx, setDefaultValue):
   * the first of `examples`, else `example`, else the schema's `example`, else its `default`.
   */
  function prefilledParameters(operation: Operation, where: 'query' | 'header'): Record<string, string> {
    const values: Record<string, string> = {};
    for (const parameter of (operation.parameters ?? []) as OpenAPIV3.ParameterObject[]) {
      if (parameter.in !== where) continue;
      const schema = parameter.schema as OpenAPIV3.SchemaObject | undefined;
      const first = parameter.examples ? (Object.values(parameter.examples)[0] as OpenAPIV3.ExampleObject | undefined)?.value : undefined;
      const value = [first, parameter.example, schema?.example, schema?.default].find((candidate) => candidate !== undefined);
      if (value !== undefined) values[parameter.name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return values;
  }

  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });

  /** Execute, as Swagger UI does: the body as given (null: none), the path's resources, the right account. Returns what went wrong. */
  async function tryOut(method: (typeof METHODS)[number], path: string, operation: Operation, body: unknown): Promise<string | null> {
    const key = `${method.toUpperCase()} ${path}`;
    const prepared = await prepare(method, path);
    const auth = 'auth' in prepared ? prepared.auth : path.startsWith('/v1/admin/') ? admin : user;
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(prepared.params[name] ?? `<${name}?>`));
    let request = t.http()[method](url).query(prefilledParameters(operation, 'query'));
    for (const [name, value] of Object.entries(prefilledParameters(operation, 'header'))) request = request.set(name, value);
    if (auth && operation.security) request = request.set(auth);
    const content = (operation.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content;
    let sent: unknown;
    if (body !== null) {
      // The body editor's text, with the ids a user would paste in.
      sent = { ...(body as object), ...prepared.bodyIds };
      request = request.set('Content-Type', 'application/json').send(JSON.stringify(sent));
    } else if (content?.['multipart/form-data']) {
      request = request.attach('file', wav(), 'melody.wav'); // the file a user picks
    }
    const res = await request.buffer(true);
    const documented = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
    if (!documented.includes(String(res.status))) {
      return `${key} ${JSON.stringify(sent)} → ${res.status} ${(res.text ?? `<${res.headers['content-type']}>`).slice(0, 300)} (documented: ${documented.join(', ')})`;
    }
    const schema = (operation.responses[String(res.status)] as OpenAPIV3.ResponseObject).content?.['application/json']?.schema;
    if (schema && !ajv.validate(toJsonSchema(schema) as object, res.body)) return `${key} → ${res.status}, body does not match its schema: ${ajv.errorsText(ajv.errors)}`;
    return null;
  }

  function operations(): { method: (typeof METHODS)[number]; path: string; operation: Operation; json?: MediaTypeObject }[] {
    return Object.entries(resolved.paths).flatMap(([path, item]) =>
      METHODS.flatMap((method) => {
        const operation = item?.[method];
        if (!operation || NOT_TRIED[`${method.toUpperCase()} ${path}`]) return [];
        return [{ method, path, operation, json: (operation.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content['application/json'] as MediaTypeObject | undefined }];
      }),
    );
  }

  it('every operation answers 2xx to its prefilled "Try it out", with the documented body', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const { method, path, operation, json } of operations()) {
      const failure = await tryOut(method, path, operation, json ? JSON.parse(defaultRequestBody(json)) : null);
      if (failure) failures.push(failure);
      tried++;
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(50);
  }, 180_000);

  // After the prefilled ones: "Email and password" signs in to the account the register example made.
  it('every other example in a body\u2019s examples menu works too', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const { method, path, operation, json } of operations()) {
      for (const example of Object.values(json?.examples ?? {}).slice(1)) {
        const failure = await tryOut(method, path, operation, example.value);
        if (failure) failures.push(failure);
        tried++;
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(2);
  }, 120_000);

  it('the response samples Swagger UI shows match their own schemas', () => {
    const failures: string[] = [];
    for (const { method, path, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const schema = (response as OpenAPIV3.ResponseObject).content?.['application/json']?.schema;
        if (!schema) continue;
        const sample = sampleFromSchema(schema as SampleSchema, { includeReadOnly: true });
        if (!ajv.validate(toJsonSchema(schema) as object, sample)) failures.push(`${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(ajv.errors)} in ${JSON.stringify(sample).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('prefills POST /v1/generations with a body that names no placeholder engine or reference', () => {
    const media = (resolved.paths['/v1/generations']?.post?.requestBody as OpenAPIV3.RequestBodyObject).content['application/json'] as MediaTypeObject;
    const prefilled = JSON.parse(defaultRequestBody(media)) as Record<string, unknown>;
    expect(prefilled).toEqual({ prompt: expect.any(String), duration: expect.any(Number) });
    for (const example of Object.values(media.examples ?? {})) expect(example.value).not.toHaveProperty('reference_id');
  });

  it('the generation example rendered music with the offline engine', async () => {
    const jobs = (await t.http().get('/v1/generations').set(user).expect(200)).body as { items: GenerationResponse[] };
    const example = jobs.items.find((job) => job.prompt === '잔잔한 로파이 피아노, 80 bpm');
    expect(example).toBeDefined();
    const done = await waitForStatus(t, user, example!.job_id, ['succeeded'], 60_000);
    expect(done.engine).toBe('offline');
    expect((await t.http().get(done.audio_url!).set(user).expect(200)).body.subarray(0, 4).toString('latin1')).toBe('RIFF');
  }, 90_000);
});
