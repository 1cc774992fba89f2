/**
 * Fuzzing every operation of the OpenAPI document against the real app on real Postgres:
 * a few thousand generated requests (wrong types, huge, deep, unicode and NUL values,
 * bad ids and cursors, wrong content types, missing and extra fields) as a user, an admin,
 * an API token and anonymously. No answer may be a 5xx, and the server must be ready
 * afterwards. Deterministic: the requests come from a seeded generator, and a failure
 * prints each request that got a 5xx (method, URL, caller, body) with the answer.
 */
import type { CreatedApiTokenResponse, GenerationResponse, MeResponse, PlaylistResponse, PlaylistShareResponse, ShareResponse } from '@texttune/contracts';
import { encodeWavPcm16 } from '@texttune/audio';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';

/** FUZZ_SEED (and FUZZ_REQUESTS) explore other draws; a failure there is reproduced with the same values. */
const SEED = Number(process.env.FUZZ_SEED ?? 0x7e577e57);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2500);
const CONCURRENCY = 4;
/** Ends a request that hangs (an event stream, a stuck handler); a hang counts as a failure. */
const REQUEST_TIMEOUT_MS = 15_000;

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
}
interface Operation {
  parameters?: { in: 'path' | 'query'; name: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: unknown[];
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** mulberry32: a small seeded generator, so every run sends the same requests. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Caller = 'user' | 'admin' | 'token' | 'anonymous' | 'garbage';
interface FuzzRequest {
  method: string;
  /** path and query, already percent-encoded (or deliberately mis-encoded) */
  url: string;
  caller: Caller;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** what the generator did, for the failure report */
  note: string;
}
interface Fixtures {
  trackIds: string[];
  jobIds: string[];
  playlistIds: string[];
  shareIds: string[];
  shareTokens: string[];
  tokenIds: string[];
  referenceIds: string[];
}
interface Failure {
  request: string;
  status: number | string;
  answer: string;
}

const nested = (depth: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');
/** Percent-encodes text; a lone surrogate (which has no UTF-8) becomes the bytes of one, which are not UTF-8 either. */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let hub: http.Server;
  let base: string;
  let doc: OpenApiDocument;
  const auth = {} as Record<Exclude<Caller, 'anonymous'>, { Authorization: string; Cookie?: string }>;
  /**
   * Real ids and tokens of the fixtures, so requests also reach the code past the look-ups:
   * deletes only ever name the spare ones, so the kept ones last the whole run.
   */
  let kept: Fixtures;
  let spare: Fixtures;
  const victimIds: string[] = [];
  const seenCursors: string[] = [];

  /** A user's job with two tracks, a playlist, shares of both, a reference. */
  async function makeFixtures(): Promise<Fixtures> {
    const job = (await t.http().post('/v1/generations').set(auth.user).send({ prompt: 'fuzz material', duration: 1, variations: 2 }).expect(202)).body as GenerationResponse;
    const done = await waitForStatus(t, auth.user, job.job_id, ['succeeded']);
    const playlist = (await t.http().post('/v1/playlists').set(auth.user).send({ title: 'fuzz list' }).expect(201)).body as PlaylistResponse;
    await t.http().post(`/v1/playlists/${playlist.id}/tracks`).set(auth.user).send({ trackId: done.track_ids[0] }).expect(200);
    const share = (await t.http().post(`/v1/tracks/${done.track_ids[0]}/share`).set(auth.user).send({}).expect(201)).body as ShareResponse;
    const playlistShare = (await t.http().post(`/v1/playlists/${playlist.id}/share`).set(auth.user).send({}).expect(201)).body as PlaylistShareResponse;
    const wav = encodeWavPcm16([new Float32Array(8000)], 8000);
    const reference = (await t.http().post('/v1/references').set(auth.user).attach('file', wav, 'melody.wav').expect(201)).body as { id: string };
    return {
      trackIds: done.track_ids,
      jobIds: [done.job_id],
      playlistIds: [playlist.id],
      shareIds: [share.id, playlistShare.id],
      shareTokens: [share.url.split('/').pop()!, playlistShare.url.split('/').pop()!],
      tokenIds: [],
      referenceIds: [reference.id],
    };
  }

  beforeAll(async () => {
    // Hugging Face's whoami refuses every token: PUT /v1/me/hf-token never leaves the machine.
    hub = http.createServer((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Invalid credentials"}'));
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    t = await startTestApp({
      ADMIN_EMAILS: 'admin@example.com',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      MAX_DURATION_SECONDS: '2',
      MAX_ACTIVE_JOBS_PER_USER: '3',
      HF_HUB_URL: `http://127.0.0.1:${(hub.address() as AddressInfo).port}`,
      // users may store their own Hugging Face token (which the hub above refuses)
      SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    doc = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApiDocument;

    auth.user = await signIn(t, 'fuzz-user@example.com');
    auth.admin = await signIn(t, 'admin@example.com');
    auth.token = { Authorization: `Bearer ${((await t.http().post('/v1/tokens').set(auth.user).send({ name: 'fuzz' }).expect(201)).body as CreatedApiTokenResponse).token}` };
    auth.garbage = { Authorization: 'Bearer ttk_not-a-token', Cookie: 'texttune_session=%00%ff; other=1' };
    for (let i = 0; i < 2; i++) {
      const victim = await signIn(t, `victim${i}@example.com`);
      victimIds.push(((await t.http().get('/v1/me').set(victim).expect(200)).body as MeResponse).id);
    }
    kept = await makeFixtures();
    spare = await makeFixtures();
    // A second token for the deletes to revoke (the caller's one stays out of the pools).
    spare.tokenIds.push(((await t.http().post('/v1/tokens').set(auth.user).send({ name: 'spare' }).expect(201)).body as CreatedApiTokenResponse).id);
    const page = (await t.http().get('/v1/library?limit=1').set(auth.user).expect(200)).body as { next_cursor: string | null };
    if (page.next_cursor) seenCursors.push(page.next_cursor);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => hub?.close(resolve));
  });

  it('answers a few thousand malformed requests without a 5xx and stays ready', async () => {
    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const chance = (p: number) => random() < p;
    const idsOf = (sets: Fixtures[]) => sets.flatMap((f) => [...f.trackIds, ...f.jobIds, ...f.playlistIds, ...f.shareIds, ...f.tokenIds, ...f.referenceIds]);
    const allIds = () => [...idsOf([kept, spare]), ...victimIds];
    const trackIds = [...kept.trackIds, ...spare.trackIds];

    const strings = [
      '',
      ' ',
      'a',
      'fuzz',
      '\u0000',
      'a\u0000b',
      '\u001b[31mred',
      'line\nbreak',
      '\t',
      '\u007f',
      '피아노 로파이',
      '🎹🎶',
      '\ud800',
      'a\udc00b',
      '\u202eevil',
      "' OR 1=1 --",
      '%',
      '_',
      '\\',
      '%00',
      'null',
      '1e400',
      '<script>alert(1)</script>',
      'x'.repeat(300),
      'y'.repeat(20_000),
      '가'.repeat(5000),
    ];
    const numbers = [0, -1, 1, 1.5, 2, 3, 100, 1e308, -1e308, 2 ** 53 + 1, 4294967296, 0.0001];
    const oddValues = (): unknown[] => [null, true, false, [], {}, [1, 'a'], { a: { b: {} } }, nested(20), nested(63), Array.from({ length: 5000 }, (_, i) => i)];
    // Path segments, already encoded: real ids, UUID-shaped and not, NUL, broken percent-encoding.
    /** The ids of the resource a path parameter names (`/v1/tracks/{id}`: tracks), from the sets a request may use. */
    const idsNamedBy = (path: string, name: string, sets: Fixtures[]): string[] => {
      const resource = name === 'id' ? /\/v1\/(?:admin\/)?([\w-]+)\/\{id\}/.exec(path)?.[1] : name;
      const field: Record<string, keyof Fixtures> = {
        tracks: 'trackIds',
        library: 'trackIds',
        stream: 'trackIds',
        download: 'trackIds',
        trackId: 'trackIds',
        generations: 'jobIds',
        jobs: 'jobIds',
        playlists: 'playlistIds',
        references: 'referenceIds',
        tokens: 'tokenIds',
        shareId: 'shareIds',
        token: 'shareTokens',
      };
      const key = resource ? field[resource] : undefined;
      return key ? sets.flatMap((f) => f[key]) : [];
    };
    const pathValue = (path: string, name: string, method: string): string => {
      const sets = method === 'DELETE' ? [spare] : [kept, spare];
      const named = idsNamedBy(path, name, sets);
      if (named.length && chance(0.5)) return pick(named);
      if (chance(0.15)) return pick(idsOf(sets));
      return pick([
        '00000000-0000-4000-8000-000000000000',
        'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
        'not-a-uuid',
        '0',
        '-1',
        '1e309',
        '%00',
        `${allIds()[0] ?? 'x'}%00`,
        '%0A',
        '%E2%80%AE',
        '%C0%80',
        '%ff',
        '%zz',
        '%',
        '%F0%9F%8E%B9',
        '..%2F..%2Fetc',
        'a'.repeat(3000),
        encode('피아노'),
        'null',
        'undefined',
      ]);
    };
    const cursors = (): string[] => [
      ...seenCursors,
      'not-a-cursor',
      '%00',
      cursorOf(`2026-01-01T00:00:00.000Z|${kept.trackIds[0]}`),
      cursorOf('-271821-04-20T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
      cursorOf('+275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
      cursorOf('0001-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
      cursorOf('9999-12-31T23:59:59.999Z|00000000-0000-4000-8000-000000000000'),
      cursorOf('1|00000000-0000-4000-8000-000000000000'),
      cursorOf('2026-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000\u0000'),
      cursorOf('2026-01-01T00:00:00.000Z\u0000|00000000-0000-4000-8000-000000000000'),
      cursorOf('x'.repeat(150)),
    ];

    const resolve = (schema: Schema): Schema => (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema);

    /** A value `schema` accepts (so a request also gets past validation to the code behind it). */
    const validValueFor = (name: string, schema: Schema, depth: number): unknown => {
      if (schema.oneOf) return validValueFor(name, pick(schema.oneOf), depth);
      if (schema.enum) return pick(schema.enum);
      switch (schema.type) {
        case 'object':
          return objectFor(schema, depth + 1, 0);
        case 'array':
          return /ids$/i.test(name) ? [...kept.trackIds].sort(() => random() - 0.5) : [];
        case 'number':
        case 'integer': {
          const min = schema.minimum ?? 0;
          const max = Math.min(schema.maximum ?? min + 1, min + 1000);
          const whole = min + Math.floor(random() * (max - min + 1));
          return schema.type === 'number' && max - min <= 1 ? min + random() * (max - min) : whole;
        }
        case 'boolean':
          return chance(0.5);
        default: {
          if (name === 'engine') return 'test';
          if (name === 'reference_id') return pick([...kept.referenceIds, ...spare.referenceIds]);
          if (name === 'trackId') return pick(trackIds);
          if (schema.format === 'uuid' || /id$/i.test(name)) return pick(allIds());
          if (/email/i.test(name)) return `f${Math.floor(random() * 50)}@example.com`;
          if (/token/i.test(name)) return 'hf_abcdefghijklmnop';
          if (/password/i.test(name)) return 'correct horse battery';
          const text = pick(['fuzzy text', 'piano beat 80 bpm', '잔잔한 로파이 피아노', '🎹 keys', name === 'prompt' ? 'verse\nchorus\tbridge' : 'one line']);
          return text.slice(0, schema.maxLength ?? text.length);
        }
      }
    };
    /** A value for `schema`: what it accepts, or (at `wildness`) anything else. */
    const valueFor = (name: string, raw: Schema, depth: number, wildness: number): unknown => {
      const schema = resolve(raw);
      if (!chance(wildness)) return validValueFor(name, schema, depth);
      if (chance(0.4)) return pick([...strings, ...numbers, ...oddValues()]);
      if (schema.oneOf) return valueFor(name, pick(schema.oneOf), depth, wildness);
      if (schema.enum) return `${String(pick(schema.enum))}x`;
      if (schema.nullable && chance(0.3)) return null;
      switch (schema.type) {
        case 'object':
          return depth > 4 ? {} : objectFor(schema, depth + 1, wildness);
        case 'array':
          return Array.from({ length: pick([0, 1, 2, 3, 50]) }, () => valueFor(`${name}Item`, schema.items ?? {}, depth + 1, wildness));
        case 'number':
        case 'integer':
          return pick([...numbers, schema.minimum ?? 0, (schema.maximum ?? 1e6) + 1, (schema.minimum ?? 0) - 1, (schema.minimum ?? 0) + 0.5]);
        case 'boolean':
          return pick(['true', 1, 0, 'yes']);
        default:
          if (schema.format === 'uuid') return pick(['00000000-0000-4000-8000-000000000000', 'nope', `${allIds()[0] ?? ''}\u0000`]);
          if (/email/i.test(name)) return pick(['fuzz-user@example.com', 'a@b', 'a\u0000@example.com', 'not an email', `${'x'.repeat(250)}@example.com`, 'ÄÖ@例え.jp']);
          if (/token/i.test(name)) return pick(['hf_' + 'a'.repeat(300), 'short', 'hf_abc\u0000defgh']);
          return pick(strings);
      }
    };
    /** An object for `schema`; each field is odd at `wildness`, and some are missing or extra. */
    const objectFor = (raw: Schema, depth: number, wildness: number): Record<string, unknown> => {
      const schema = resolve(raw);
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const required = schema.required?.includes(name);
        if (required ? chance(wildness / 3) : chance(0.4)) continue;
        out[name] = valueFor(name, property, depth, wildness);
      }
      if (chance(wildness / 2)) out[pick(['extra', 'isAdmin', '__proto__x', 'a\u0000b', 'constructor'])] = pick(strings);
      return out;
    };

    /** The body of a JSON operation, or of one without a declared body (which gets odd ones). */
    const bodyFor = (operation: Operation, headers: Record<string, string>): { body?: string | Buffer; note: string } => {
      const schema = operation.requestBody?.content['application/json']?.schema;
      const roll = random();
      if (roll < 0.6 && schema) {
        headers['content-type'] = 'application/json';
        const wildness = pick([0, 0, 0.1, 0.2, 0.5]);
        const value = chance(0.08) ? pick([null, [], 'text', 42, [objectFor(schema, 0, wildness)]]) : objectFor(schema, 0, wildness);
        return { body: JSON.stringify(value) ?? 'null', note: `json from schema, wildness ${wildness}` };
      }
      if (roll < 0.68) {
        headers['content-type'] = 'application/json';
        return { body: JSON.stringify(nested(pick([10, 63, 64, 65, 100, 4000]), 'deep')), note: 'deep json' };
      }
      if (roll < 0.76) {
        headers['content-type'] = 'application/json';
        return { body: pick(['{', '{"a":', '[1,2', 'nul', '"\\u0000"', '{"a":"\\ud800"}', '{"a":1,"a":2}', '\u0000', '{}garbage', '1'.repeat(5000), '{"prompt":"\\u0000"}']), note: 'broken json' };
      }
      if (roll < 0.82) {
        headers['content-type'] = pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=latin1', 'application/json; charset=utf-7', '']);
        return { body: pick(['prompt=a&duration=1', '<a/>', '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--x--\r\n', '{"title":"x"}', '\u0000\u0001\u0002']), note: 'wrong content type' };
      }
      if (roll < 0.86) {
        headers['content-type'] = 'application/json; charset=utf-16le';
        const value = schema ? objectFor(schema, 0, 0) : { a: 1 };
        return { body: Buffer.from(JSON.stringify(chance(0.5) ? value : nested(100, value)), 'utf16le'), note: 'utf-16 json' };
      }
      if (roll < 0.9) {
        headers['content-type'] = 'application/json';
        headers['content-encoding'] = pick(['gzip', 'deflate', 'br', 'compress']);
        return { body: chance(0.5) ? gzipSync(JSON.stringify(schema ? objectFor(schema, 0, 0) : {})) : Buffer.from('not compressed'), note: 'content-encoding' };
      }
      return { note: 'no body' };
    };

    /** A multipart upload: a real WAV, junk bytes, no file, or the wrong field. */
    const uploadFor = (headers: Record<string, string>): { body: Buffer; note: string } => {
      const boundary = 'fuzzboundary';
      const file = pick([encodeWavPcm16([new Float32Array(400)], 8000), Buffer.from('not audio at all'), Buffer.alloc(0), Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVE')]);
      const field = pick(['file', 'file', 'other', 'fi\u0000le']);
      const name = pick(['melody.wav', 'a\u0000.wav', '../../x', '']);
      headers['content-type'] = chance(0.9) ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: audio/wav\r\n\r\n`),
        file,
        Buffer.from(chance(0.9) ? `\r\n--${boundary}--\r\n` : '\r\n--trunc'),
      ]);
      return { body, note: `upload field=${JSON.stringify(field)} bytes=${file.length}` };
    };

    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })));
    expect(operations.length).toBeGreaterThan(50);

    // Round the operations in turn, so each gets its share whatever the draws.
    const generate = (_: unknown, index: number): FuzzRequest => {
      const { path, method, operation } = operations[index % operations.length];
      const isAdminRoute = path.startsWith('/v1/admin');
      let caller: Caller = isAdminRoute && chance(0.6) ? 'admin' : pick<Caller>(['user', 'user', 'user', 'user', 'token', 'anonymous', 'garbage']);
      // Signing out would end a fixture session: only callers without one do.
      if (path === '/v1/auth/logout') caller = pick<Caller>(['anonymous', 'garbage']);
      const headers: Record<string, string> = caller === 'anonymous' ? {} : { ...auth[caller] };
      let url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        // An admin acting on a user only ever acts on the victims, never on the fuzzing accounts.
        if (isAdminRoute && name === 'id' && path.includes('/users/')) return chance(0.5) ? pick(victimIds) : pathValue(path, name, method);
        return pathValue(path, name, method);
      });
      const query: string[] = [];
      for (const parameter of operation.parameters?.filter((p) => p.in === 'query') ?? []) {
        if (chance(0.45)) continue;
        const schema = parameter.schema ?? {};
        const plausible: string[] = schema.enum
          ? schema.enum.map(String)
          : schema.type === 'number' || schema.type === 'integer'
            ? ['1', '2', '5']
            : /id$/i.test(parameter.name)
              ? allIds()
              : ['fuzz', 'f1', encode('피아노'), 'beat'];
        const values: string[] =
          parameter.name === 'cursor'
            ? cursors()
            : chance(0.5)
              ? plausible
              : schema.enum
              ? [...schema.enum.map(String), 'nope']
              : schema.type === 'number' || schema.type === 'integer'
                ? ['1', '0', '-5', '1.5', '1e999', 'abc', '99999999999999999999', '%00']
                : [...strings.map(encode), '%00', '%zz', '%ff', 'a%00b'];
        const value = pick(values);
        query.push(`${parameter.name}=${/%|^[\w.-]*$/.test(value) ? value : encode(value)}`);
        if (chance(0.08)) query.push(`${parameter.name}=${encode(pick(strings))}`);
      }
      if (chance(0.08)) query.push(pick(['extra=1', '%00=1', 'a[b]=1', 'limit[]=1', '__proto__=x', 'returnUrl=%00']));
      if (query.length) url += `?${query.join('&')}`;
      // Odd conditional, range and tracing headers (the audio routes read the first two kinds).
      if (chance(method === 'GET' ? 0.3 : 0.05)) {
        const [name, value] = pick([
          ['Range', pick(['bytes=0-0', 'bytes=abc', 'bytes=5-1', 'bytes=-0', 'bytes=999999999999-', 'bytes=0-1,2-3,4-5,6-7,8-9,10-11', 'items=0-1', 'bytes=--1', `bytes=${'0-0,'.repeat(500)}0-0`])],
          ['If-Range', pick(['"nope"', 'Wed, 21 Oct 2015 07:28:00 GMT', 'garbage', 'W/"x"'])],
          ['If-None-Match', pick(['*', '"x", W/"y"', 'garbage', '""'])],
          ['If-Modified-Since', pick(['Thu, 01 Jan 1970 00:00:00 GMT', 'not a date', 'Sat, 01 Jan 275760 00:00:00 GMT'])],
          ['Accept', pick(['text/event-stream', 'application/xml', '*/*;q=abc', ''])],
          ['X-Request-Id', pick(['a'.repeat(500), '../..', 'ok-id'])],
        ] as const);
        headers[name] = value;
      }
      let body: string | Buffer | undefined;
      let note: string;
      if (method === 'GET') {
        note = 'no body';
      } else if (method === 'DELETE') {
        ({ body, note } = chance(0.1) ? { body: pick(['{"odd":"body"}', '{']), note: 'body on DELETE' } : { body: undefined, note: 'no body' });
      } else if (operation.requestBody?.content['multipart/form-data']) {
        ({ body, note } = chance(0.7) ? uploadFor(headers) : bodyFor(operation, headers));
      } else {
        ({ body, note } = bodyFor(operation, headers));
      }
      if (body !== undefined && !headers['content-type'] && method !== 'GET') headers['content-type'] = 'application/json';
      return { method, url, caller, headers, body, note };
    };

    const describeRequest = (r: FuzzRequest) => {
      const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : `<${r.body.length} bytes> ${r.body.subarray(0, 120).toString('latin1')}`;
      const headers = Object.fromEntries(Object.entries(r.headers).filter(([name]) => !/^(authorization|cookie)$/i.test(name)));
      return `${r.method} ${r.url.slice(0, 300)} as ${r.caller} [${r.note}] ${JSON.stringify(headers)} ${JSON.stringify(body.slice(0, 300))}`;
    };

    const send = async (r: FuzzRequest): Promise<Failure | undefined> => {
      try {
        const res = await fetch(`${base}${r.url}`, { method: r.method, headers: r.headers, body: r.body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const answer = await res.text();
        if (res.status >= 500) return { request: describeRequest(r), status: res.status, answer: answer.slice(0, 500) };
      } catch (error) {
        // fetch's own message ("fetch failed") hides why: reset, refused, closed early.
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        return { request: describeRequest(r), status: 'no answer', answer: `${String(error)}${cause}` };
      }
      return undefined;
    };

    const requests = Array.from({ length: REQUESTS }, generate);
    const failures: Failure[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const failure = await send(requests[next++]);
          if (failure) failures.push(failure);
        }
      }),
    );

    if (failures.length) process.stderr.write(`fuzz (seed ${SEED}): ${failures.length} requests got a 5xx or no answer:\n${failures.map((f) => `  ${f.status} <- ${f.request}\n     ${f.answer}`).join('\n')}\n`);
    expect(failures.map((f) => `${f.status} <- ${f.request}`)).toEqual([]);
    expect((await fetch(`${base}/v1/health/ready`)).status).toBe(200);
    expect((await fetch(`${base}/v1/me`, { headers: auth.user })).status).toBe(200);
  }, 180_000);
});
