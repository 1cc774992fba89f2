import { AUTH_MODES, REGISTRATION_MODES, type AuthMode, type RegistrationMode } from '@texttune/contracts';
import { soundFontPathProblem } from '@texttune/composer';
import { validateTranslatorConfig, type TranslatorConfig } from '@texttune/prompt-language';
import { z } from 'zod';
import { weakSecretReason } from './secret-strength';

/** The documented development default; refused when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'dev-secret-change-me';

export const ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof ROLES)[number];

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional())
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const boolDefault = (fallback: boolean) =>
  z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional()).transform((v) => (v === undefined ? fallback : v === 'true' || v === '1' || v === 'yes'));
const commaList = z.preprocess(emptyToUndefined, z.string().optional()).transform((v) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const postgresUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), 'must be a postgres:// URL, e.g. postgres://user:pass@host:5432/texttune')
    .optional(),
);
const redisUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .refine((v) => /^rediss?:\/\//.test(v) && URL.canParse(v), 'must be a redis:// URL, e.g. redis://127.0.0.1:6379')
    .optional(),
);

const httpUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), 'must be an http(s):// URL, e.g. http://minio:9000')
    .optional(),
);

/**
 * Every environment variable TextTune reads. `.env.example` documents each one and a
 * test keeps the two in step.
 */
const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: z.preprocess(emptyToUndefined, int(0, 65535).default(4000)),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  TEXTTUNE_ROLE: z.preprocess(emptyToUndefined, z.enum(ROLES).default('all')),
  JWT_SECRET: z.preprocess(emptyToUndefined, z.string().min(1).default(DEV_JWT_SECRET)),
  SESSION_TTL_HOURS: z.preprocess(emptyToUndefined, int(1, 24 * 365).default(24 * 7)),
  AUTH_CACHE_SECONDS: z.preprocess(emptyToUndefined, int(0, 3600).default(60)),
  AUTH_MODE: z.preprocess(emptyToUndefined, z.enum(AUTH_MODES).optional()),
  ADMIN_EMAILS: commaList,
  AUTH_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyToUndefined, int(1, 100000).default(20)),
  AUTH_ACCOUNT_LOCKOUT_ATTEMPTS: z.preprocess(emptyToUndefined, int(0, 1000).default(10)),
  AUTH_ACCOUNT_LOCKOUT_MINUTES: z.preprocess(emptyToUndefined, int(1, 24 * 60).default(15)),
  REGISTRATION: z.preprocess(emptyToUndefined, z.enum(REGISTRATION_MODES).optional()),
  // --- Single sign-on (OIDC) and admin ---
  OIDC_ISSUER: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be the provider\'s issuer URL, e.g. https://sso.example.com/realms/acme' }).optional()),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_REDIRECT_URI: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be this server\'s callback URL, e.g. https://texttune.example.com/v1/auth/oidc/callback' }).optional()),
  OIDC_SCOPES: z.preprocess(emptyToUndefined, z.string().default('openid email profile')),
  OIDC_PROVIDER_NAME: optionalString,
  OIDC_ADMIN_GROUP: optionalString,
  OIDC_GROUPS_CLAIM: z.preprocess(emptyToUndefined, z.string().default('groups')),
  OIDC_POST_LOGOUT_REDIRECT_URI: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be a URL, e.g. https://texttune.example.com/signin' }).optional()),
  ALLOW_ORIGIN: commaList,
  TRUST_PROXY: bool,
  BODY_LIMIT: z.preprocess(emptyToUndefined, z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb').default('1mb')),
  MAX_DURATION_SECONDS: z.preprocess(emptyToUndefined, int(1, 600).default(300)),
  SOUNDFONT_PATH: optionalString,
  DATABASE_URL: postgresUrl,
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
  REDIS_URL: redisUrl,
  REDIS_PREFIX: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only').default('texttune')),
  STORAGE_DIR: z.preprocess(emptyToUndefined, z.string().default('storage')),
  // --- Deployment: storage driver, S3-compatible storage, metrics, worker health ---
  STORAGE_DRIVER: z.preprocess(emptyToUndefined, z.enum(['local', 's3']).default('local')),
  AUDIO_OFFLOAD: z.preprocess(emptyToUndefined, z.enum(['none', 'nginx']).default('none')),
  AUDIO_OFFLOAD_CACHE_SECONDS: z.preprocess(emptyToUndefined, int(0, 300).default(5)),
  AUDIO_OFFLOAD_SIGNING_KEY: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be 32-128 letters, digits, _ or - (e.g. `openssl rand -hex 32`), the same for the API and the proxy').optional()),
  AUDIO_OFFLOAD_URL_SECONDS: z.preprocess(emptyToUndefined, int(10, 3600).default(300)),
  S3_ENDPOINT: httpUrl,
  S3_PUBLIC_ENDPOINT: httpUrl,
  S3_REGION: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z0-9-]{1,64}$/, 'must look like us-east-1').default('us-east-1')),
  S3_BUCKET: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3-63 lower-case letters, digits, dots and hyphens').optional()),
  S3_PREFIX: z.preprocess(emptyToUndefined, z.string().regex(/^([A-Za-z0-9_.-]+\/)*$/, 'must be empty or folder names ending with /, e.g. texttune/').default('')),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional()).transform((v) => (v === undefined ? undefined : v === 'true' || v === '1' || v === 'yes')),
  S3_PROXY: bool,
  S3_URL_EXPIRES_SECONDS: z.preprocess(emptyToUndefined, int(10, 7 * 24 * 3600).default(300)),
  METRICS_TOKEN: optionalString,
  METRICS_PUBLIC: bool,
  DOCS_ENABLED: boolDefault(true),
  HEALTH_FILE: optionalString,
  MAX_ACTIVE_JOBS_PER_USER: z.preprocess(emptyToUndefined, int(1, 1000).default(3)),
  MAX_QUEUE_LENGTH: z.preprocess(emptyToUndefined, int(1, 1_000_000).default(1000)),
  DAILY_SECONDS_QUOTA: z.preprocess(emptyToUndefined, int(0, 10_000_000).default(0)),
  IDEMPOTENCY_KEY_TTL_HOURS: z.preprocess(emptyToUndefined, int(1, 24 * 30).default(24)),
  PROMPT_BLOCKLIST: optionalString,
  DEFAULT_ENGINE: optionalString,
  GENERATION_TIMEOUT_SECONDS: z.preprocess(emptyToUndefined, int(5, 86_400).default(300)),
  WORKER_CONCURRENCY: z.preprocess(emptyToUndefined, int(1, 64).default(1)),
  JOB_MAX_ATTEMPTS: z.preprocess(emptyToUndefined, int(1, 20).default(3)),
  JOB_BACKOFF_MS: z.preprocess(emptyToUndefined, int(0, 600_000).default(2000)),
  QUEUE_LOCK_SECONDS: z.preprocess(emptyToUndefined, int(1, 3600).default(30)),
  SHUTDOWN_GRACE_SECONDS: z.preprocess(emptyToUndefined, int(0, 3600).default(30)),
  HF_SPACE_ID: optionalString,
  HF_API_TOKEN: optionalString,
  // --- Gradio Space engine ---
  HF_SPACE_API_NAME: optionalString,
  HF_SPACE_MODEL: optionalString,
  HF_SPACE_INPUTS: z.preprocess(emptyToUndefined, z.string().optional()).transform((value, ctx) => {
    if (value === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of input label -> value or {"from": "prompt"}, e.g. {"Steps": 50, "Seed": {"from": "seed"}}' });
    return z.NEVER;
  }),
  ENGINE_FALLBACK: z.preprocess(emptyToUndefined, z.enum(['none', 'local']).default('none')),
  MAX_AUDIO_BYTES: z.preprocess(emptyToUndefined, int(1024, 4 * 1024 ** 3).default(200 * 1024 * 1024)),
  // --- Prompt language ---
  TRANSLATE_PROVIDER: z.preprocess(emptyToUndefined, z.enum(['none', 'libretranslate', 'google']).default('none')),
  TRANSLATE_URL: optionalString,
  TRANSLATE_API_KEY: optionalString,
  TRANSLATE_TIMEOUT_MS: z.preprocess(emptyToUndefined, int(100, 60_000).default(5000)),
  PROMPT_ENGLISH_ENGINES: z.preprocess((value) => (value === undefined ? 'gradio' : value), commaList),
  // --- Bring your own Hugging Face token; SECRETS_KEY is checked in loadConfig (never echoed) ---
  SECRETS_KEY: optionalString,
  HF_TOKEN_POLICY: z.preprocess(emptyToUndefined, z.enum(['server-fallback', 'user-only']).default('server-fallback')),
  HF_HUB_URL: z.preprocess(emptyToUndefined, z.string().refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), 'must be an http(s):// URL, e.g. https://huggingface.co').default('https://huggingface.co')),
  HF_HUB_TIMEOUT_MS: z.preprocess(emptyToUndefined, int(100, 60_000).default(5000)),
  // --- Webhooks ---
  WEBHOOK_ALLOW_PRIVATE: bool,
  WEBHOOK_ALLOWED_HOSTS: commaList,
  WEBHOOK_TIMEOUT_MS: z.preprocess(emptyToUndefined, int(100, 60_000).default(10_000)),
  WEBHOOK_RETRY_BASE_MS: z.preprocess(emptyToUndefined, int(10, 600_000).default(5000)),
  WEBHOOK_POLL_MS: z.preprocess(emptyToUndefined, int(10, 60_000).default(1000)),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['json', 'pretty']).optional()),
});

type Env = z.infer<typeof envSchema>;

/** Single sign-on settings; null when OIDC_ISSUER is not set. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** absent: a public client (PKCE only) */
  clientSecret?: string;
  redirectUri: string;
  scopes: string;
  providerName: string;
  /** members of this group (in `groupsClaim`) get the admin role at each sign-in */
  adminGroup?: string;
  groupsClaim: string;
  postLogoutRedirectUri?: string;
}

function oidcSettings(env: Env, isProduction: boolean, problems: string[]): OidcConfig | null {
  if (!env.OIDC_ISSUER) {
    if (env.AUTH_MODE === 'oidc') problems.push('AUTH_MODE: "oidc" needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URI');
    else if (env.OIDC_CLIENT_ID || env.OIDC_REDIRECT_URI) problems.push('OIDC_ISSUER: must be set when OIDC_CLIENT_ID or OIDC_REDIRECT_URI is (single sign-on)');
    return null;
  }
  if (!env.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: must be set with OIDC_ISSUER (the client id registered at the provider)');
  if (!env.OIDC_REDIRECT_URI) problems.push('OIDC_REDIRECT_URI: must be set with OIDC_ISSUER, e.g. https://texttune.example.com/v1/auth/oidc/callback');
  if (!env.OIDC_SCOPES.split(/\s+/).includes('openid')) problems.push('OIDC_SCOPES: must include "openid"');
  if (isProduction && new URL(env.OIDC_ISSUER).protocol !== 'https:') problems.push('OIDC_ISSUER: must be an https:// URL in production');
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID ?? '',
    clientSecret: env.OIDC_CLIENT_SECRET,
    redirectUri: env.OIDC_REDIRECT_URI ?? '',
    scopes: env.OIDC_SCOPES.trim(),
    providerName: env.OIDC_PROVIDER_NAME ?? new URL(env.OIDC_ISSUER).hostname,
    adminGroup: env.OIDC_ADMIN_GROUP,
    groupsClaim: env.OIDC_GROUPS_CLAIM,
    postLogoutRedirectUri: env.OIDC_POST_LOGOUT_REDIRECT_URI,
  };
}

export interface AppConfig {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  role: ProcessRole;
  http: { port: number; host: string; allowOrigins: string[]; trustProxy: boolean; bodyLimit: string };
  auth: {
    mode: AuthMode;
    jwtSecret: string;
    sessionTtlHours: number;
    /** AUTH_CACHE_SECONDS: the longest a request's authentication is kept in memory (auth/auth-cache.ts; 0: off) */
    cacheSeconds: number;
    adminEmails: string[];
    rateLimitPerMinute: number;
    /** password attempts allowed on one account per window, from any address (auth/sign-in-throttle.ts; attempts 0: no per-account limit) */
    accountLockout: { attempts: number; windowMinutes: number };
    oidc: OidcConfig | null;
    /** REGISTRATION: who may create a password account (`open`: anyone; `invite`: with an admin's invite; `closed`: nobody) */
    registration: RegistrationMode;
  };
  database: { url?: string; dataDir: string };
  redisUrl?: string;
  /** namespace of every Redis key and channel (several installations may share one Redis) */
  redisPrefix: string;
  storageDir: string;
  generation: {
    maxDurationSeconds: number;
    maxActiveJobsPerUser: number;
    maxQueueLength: number;
    /** audio seconds per user per UTC day; 0 = unlimited */
    dailySecondsQuota: number;
    /** case-insensitive patterns refused with 400 prompt_blocked */
    promptBlocklist: RegExp[];
    defaultEngine?: string;
    timeoutSeconds: number;
  };
  queue: {
    concurrency: number;
    maxAttempts: number;
    backoffMs: number;
    /** how long a running job may go without a heartbeat before another worker takes it over */
    lockSeconds: number;
    shutdownGraceSeconds: number;
  };
  /** Idempotency-Key on POST endpoints (idempotency/) */
  idempotency: {
    /** IDEMPOTENCY_KEY_TTL_HOURS: how long a key and its stored response are kept and replayed */
    ttlHours: number;
  };
  space: { id?: string; token?: string };
  offlineEngine: {
    /** SOUNDFONT_PATH: the SF2/SF3 bank the sampled instruments play; the bundled FluidR3Mono when absent */
    soundFontPath?: string;
  };
  /** the Gradio Space engine beyond HF_SPACE_ID / HF_API_TOKEN */
  spaceEngine: {
    /** HF_SPACE_API_NAME: the endpoint to call; found from the Space's API when absent */
    apiName?: string;
    /** HF_SPACE_MODEL: a choice of the Space's model radio/dropdown */
    model?: string;
    /** HF_SPACE_INPUTS: input label or parameter name -> value or {from: source} */
    inputs?: Record<string, unknown>;
    /** ENGINE_FALLBACK: render with the offline engine when the Space is unavailable or out of quota */
    fallback: 'none' | 'local';
    /** MAX_AUDIO_BYTES: largest audio file accepted from an engine */
    maxAudioBytes: number;
  };
  /** English prompts for English-only engines */
  promptLanguage: {
    /** TRANSLATE_*: a translation service for whole sentences; null: the built-in glossary only */
    translator: TranslatorConfig | null;
    /** PROMPT_ENGLISH_ENGINES: ids of the engines that are sent English prompts */
    englishEngines: string[];
  };
  /** SECRETS_KEY: the 32-byte key that encrypts stored secrets (AES-256-GCM); null: users cannot store their own tokens */
  secretsKey: Buffer | null;
  /** users' own Hugging Face tokens */
  hfTokens: {
    /** HF_TOKEN_POLICY: `server-fallback` (HF_API_TOKEN for users without a token) or `user-only` (HF_API_TOKEN never used) */
    policy: 'server-fallback' | 'user-only';
    /** HF_HUB_URL: where the Hugging Face API is (whoami, Space look-ups) */
    hubUrl: string;
    /** HF_HUB_TIMEOUT_MS: how long a token check waits for Hugging Face before accepting the token unverified */
    hubTimeoutMs: number;
  };
  /** where audio lives: STORAGE_DIR on a shared disk, or an S3-compatible bucket */
  storage: {
    driver: 'local' | 's3';
    /**
     * AUDIO_OFFLOAD: `nginx` — for local storage the API authorizes an audio request and
     * answers `X-Accel-Redirect` to the proxy's internal location, which serves the bytes
     * (docker/proxy); `none` — the API streams them itself.
     */
    audioOffload: {
      mode: 'none' | 'nginx';
      /** AUDIO_OFFLOAD_CACHE_SECONDS: how long the proxy may reuse one such answer for the same credentials and URL */
      cacheSeconds: number;
      /**
       * AUDIO_OFFLOAD_SIGNING_KEY (shared with the proxy): streams answer a redirect to a URL
       * the proxy verifies itself (secure_link), valid for AUDIO_OFFLOAD_URL_SECONDS
       */
      signing?: { key: string; urlSeconds: number };
    };
    s3?: {
      bucket: string;
      region: string;
      /** custom endpoint (MinIO, Ceph, R2…); absent: AWS */
      endpoint?: string;
      /** endpoint browsers reach presigned URLs at, when it differs from S3_ENDPOINT */
      publicEndpoint?: string;
      prefix: string;
      /** absent: the AWS SDK's default credential chain */
      credentials?: { accessKeyId: string; secretAccessKey: string };
      forcePathStyle: boolean;
      /** S3_PROXY: the API streams objects itself instead of redirecting to presigned URLs */
      proxy: boolean;
      urlExpiresSeconds: number;
    };
  };
  /** GET /metrics; a bearer token is required when `token` is set (production needs one unless METRICS_PUBLIC=true) */
  metrics: { token?: string };
  /** DOCS_ENABLED: Swagger UI at /docs and the OpenAPI document at /docs/openapi.json */
  docs: { enabled: boolean };
  /** outgoing webhooks (webhooks/) */
  webhooks: {
    /** WEBHOOK_ALLOW_PRIVATE: deliver to private, loopback and link-local addresses too (portals on an internal network) */
    allowPrivate: boolean;
    /** WEBHOOK_ALLOWED_HOSTS: host names or IP addresses (lower case) delivered to whatever they resolve to */
    allowedHosts: string[];
    /** WEBHOOK_TIMEOUT_MS: the longest one attempt (DNS, connect, answer) may take */
    timeoutMs: number;
    /** WEBHOOK_RETRY_BASE_MS: the first retry delay; the whole schedule (5 s … 10 h) and the 24 h after which a failing endpoint is disabled scale with it */
    retryBaseMs: number;
    /** WEBHOOK_POLL_MS: how often a worker looks for due deliveries */
    pollMs: number;
  };
  /** HEALTH_FILE: where a worker writes its periodic health report (the container healthcheck reads it) */
  healthFile?: string;
  log: { level: Env['LOG_LEVEL']; format: 'json' | 'pretty' };
}

/**
 * PROMPT_BLOCKLIST entries are separated by commas or new lines; `/pattern/` is a regular
 * expression (flag i implied). A plain Latin-script word matches as a whole word, any
 * case; other words (Korean attaches particles and endings) match wherever they appear.
 */
function splitBlocklist(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function blocklistPattern(entry: string): RegExp {
  const regex = /^\/(.+)\/$/.exec(entry);
  if (regex) return new RegExp(regex[1], 'iu');
  const escaped = entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const latin = /^[\p{Script=Latin}\p{N}\s'-]+$/u.test(entry);
  return new RegExp(latin ? `(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])` : escaped, 'iu');
}

/** SECRETS_KEY: exactly 32 bytes, written as 64 hex characters or in base64 / base64url; null when malformed. */
export function parseSecretsKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (!/^(?:[A-Za-z0-9+/]{43}=?|[A-Za-z0-9_-]{43}=?)$/.test(value)) return null;
  const key = Buffer.from(value.replace(/=$/, ''), /[-_]/.test(value) ? 'base64url' : 'base64');
  return key.length === 32 ? key : null;
}

/** Values of the server secrets published in this repository's examples and docs. */
const KNOWN_SECRET_DEFAULTS = [DEV_JWT_SECRET, 'changeme', 'change-me', 'secret', 'password'];

/**
 * What production refuses on top of the schema: server secrets an attacker could guess
 * (JWT_SECRET signs sessions, share links and the single sign-on cookie; SECRETS_KEY
 * encrypts stored tokens), and a /metrics open to anyone by omission.
 */
function productionProblems(env: Env, problems: string[]): void {
  const howToMake = 'generate one with `openssl rand -base64 48`';
  const jwtWeakness = env.JWT_SECRET === DEV_JWT_SECRET ? 'unset' : weakSecretReason(env.JWT_SECRET, KNOWN_SECRET_DEFAULTS);
  if (jwtWeakness === 'unset') {
    problems.push(`JWT_SECRET: must be set to a long random value in production (the development default is refused); ${howToMake}`);
  } else if (jwtWeakness) {
    problems.push(`JWT_SECRET: ${jwtWeakness} (the value is not shown). It signs sessions and share links, so production needs a long random value: ${howToMake}`);
  }
  // The key's bytes are judged (as hex), not its text: base64 hides a repeated pattern.
  const secretsKey = env.SECRETS_KEY ? parseSecretsKey(env.SECRETS_KEY) : null;
  const secretsKeyWeakness = secretsKey ? weakSecretReason(secretsKey.toString('hex')) : null;
  if (secretsKeyWeakness) {
    problems.push(`SECRETS_KEY: ${secretsKeyWeakness} (the value is not shown); production needs 32 random bytes: generate them with \`openssl rand -base64 32\``);
  }
  if (!env.METRICS_TOKEN && !env.METRICS_PUBLIC) {
    problems.push('METRICS_TOKEN: required in production, so that only your Prometheus reads GET /metrics (e.g. `openssl rand -hex 24`); set METRICS_PUBLIC=true instead to serve it to anyone who reaches the port');
  }
}

/** Thrown when the environment is invalid; its message lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the whole environment at once and builds the typed configuration. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(source[String(issue.path[0])] ?? null)})`));
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';
  const problems: string[] = [];
  if (isProduction) productionProblems(env, problems);
  if (env.ALLOW_ORIGIN.includes('*') && env.ALLOW_ORIGIN.length > 1) {
    problems.push('ALLOW_ORIGIN: use either * or a list of origins, not both');
  }
  for (const origin of env.ALLOW_ORIGIN.filter((o) => o !== '*')) {
    if (!URL.canParse(origin)) problems.push(`ALLOW_ORIGIN: "${origin}" is not an origin like https://portal.example.com`);
  }
  if (env.TEXTTUNE_ROLE !== 'all' && !env.REDIS_URL) {
    problems.push(`TEXTTUNE_ROLE: "${env.TEXTTUNE_ROLE}" needs REDIS_URL (separate API and worker processes share jobs through Redis); use "all" without Redis`);
  }
  const promptBlocklist: RegExp[] = [];
  for (const entry of splitBlocklist(env.PROMPT_BLOCKLIST)) {
    try {
      promptBlocklist.push(blocklistPattern(entry));
    } catch {
      problems.push(`PROMPT_BLOCKLIST: "${entry}" is not a valid pattern`);
    }
  }
  if (env.STORAGE_DRIVER === 's3' && !env.S3_BUCKET) problems.push('S3_BUCKET: required with STORAGE_DRIVER=s3 (the bucket that holds the audio)');
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) problems.push('S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: set both, or neither (then the AWS default credential chain is used)');
  const oidc = oidcSettings(env, isProduction, problems);
  const authMode = env.AUTH_MODE ?? (isProduction ? 'password' : 'open');
  if (authMode === 'open' && env.REGISTRATION && env.REGISTRATION !== 'open') {
    problems.push(`REGISTRATION: "${env.REGISTRATION}" needs AUTH_MODE=password (with AUTH_MODE=open the quick email login makes an account for any address)`);
  }
  const translator: TranslatorConfig | null =
    env.TRANSLATE_PROVIDER === 'none'
      ? null
      : { provider: env.TRANSLATE_PROVIDER, timeoutMs: env.TRANSLATE_TIMEOUT_MS, ...(env.TRANSLATE_URL ? { url: env.TRANSLATE_URL } : {}), ...(env.TRANSLATE_API_KEY ? { apiKey: env.TRANSLATE_API_KEY } : {}) };
  if (translator) {
    try {
      validateTranslatorConfig(translator);
    } catch (error) {
      problems.push(`TRANSLATE_PROVIDER: ${(error as Error).message}`);
    }
  }
  const secretsKey = env.SECRETS_KEY ? parseSecretsKey(env.SECRETS_KEY) : null;
  if (env.SECRETS_KEY && !secretsKey) problems.push('SECRETS_KEY: must be 32 random bytes written as 64 hex characters or base64, e.g. `openssl rand -base64 32` (the value given is not shown)');
  if (env.HF_TOKEN_POLICY === 'user-only' && env.HF_SPACE_ID && !env.SECRETS_KEY) {
    problems.push("HF_TOKEN_POLICY: \"user-only\" needs SECRETS_KEY (each user's own Hugging Face token is stored encrypted with it)");
  }
  if (env.SOUNDFONT_PATH) {
    const problem = soundFontPathProblem(env.SOUNDFONT_PATH);
    if (problem) problems.push(problem);
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    env: env.NODE_ENV,
    isProduction,
    role: env.TEXTTUNE_ROLE,
    http: { port: env.PORT, host: env.HOST, allowOrigins: env.ALLOW_ORIGIN, trustProxy: env.TRUST_PROXY, bodyLimit: env.BODY_LIMIT },
    auth: {
      mode: authMode,
      jwtSecret: env.JWT_SECRET,
      sessionTtlHours: env.SESSION_TTL_HOURS,
      cacheSeconds: env.AUTH_CACHE_SECONDS,
      adminEmails: env.ADMIN_EMAILS.map((e) => e.toLowerCase()),
      rateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
      accountLockout: { attempts: env.AUTH_ACCOUNT_LOCKOUT_ATTEMPTS, windowMinutes: env.AUTH_ACCOUNT_LOCKOUT_MINUTES },
      oidc,
      registration: env.REGISTRATION ?? (isProduction && oidc ? 'closed' : 'open'),
    },
    database: { url: env.DATABASE_URL, dataDir: env.DATA_DIR },
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    storageDir: env.STORAGE_DIR,
    generation: {
      maxDurationSeconds: env.MAX_DURATION_SECONDS,
      maxActiveJobsPerUser: env.MAX_ACTIVE_JOBS_PER_USER,
      maxQueueLength: env.MAX_QUEUE_LENGTH,
      dailySecondsQuota: env.DAILY_SECONDS_QUOTA,
      promptBlocklist,
      defaultEngine: env.DEFAULT_ENGINE,
      timeoutSeconds: env.GENERATION_TIMEOUT_SECONDS,
    },
    queue: {
      concurrency: env.WORKER_CONCURRENCY,
      maxAttempts: env.JOB_MAX_ATTEMPTS,
      backoffMs: env.JOB_BACKOFF_MS,
      lockSeconds: env.QUEUE_LOCK_SECONDS,
      shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
    },
    idempotency: { ttlHours: env.IDEMPOTENCY_KEY_TTL_HOURS },
    space: { id: env.HF_SPACE_ID, token: env.HF_API_TOKEN },
    offlineEngine: { soundFontPath: env.SOUNDFONT_PATH },
    spaceEngine: { apiName: env.HF_SPACE_API_NAME, model: env.HF_SPACE_MODEL, inputs: env.HF_SPACE_INPUTS, fallback: env.ENGINE_FALLBACK, maxAudioBytes: env.MAX_AUDIO_BYTES },
    promptLanguage: { translator, englishEngines: env.PROMPT_ENGLISH_ENGINES },
    secretsKey,
    hfTokens: { policy: env.HF_TOKEN_POLICY, hubUrl: env.HF_HUB_URL.replace(/\/+$/, ''), hubTimeoutMs: env.HF_HUB_TIMEOUT_MS },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? (isProduction ? 'json' : 'pretty') },
    storage: {
      driver: env.STORAGE_DRIVER,
      audioOffload: {
        mode: env.AUDIO_OFFLOAD,
        cacheSeconds: env.AUDIO_OFFLOAD_CACHE_SECONDS,
        signing: env.AUDIO_OFFLOAD_SIGNING_KEY ? { key: env.AUDIO_OFFLOAD_SIGNING_KEY, urlSeconds: env.AUDIO_OFFLOAD_URL_SECONDS } : undefined,
      },
      s3:
        env.STORAGE_DRIVER === 's3' && env.S3_BUCKET
          ? {
              bucket: env.S3_BUCKET,
              region: env.S3_REGION,
              endpoint: env.S3_ENDPOINT,
              publicEndpoint: env.S3_PUBLIC_ENDPOINT,
              prefix: env.S3_PREFIX,
              credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
              forcePathStyle: env.S3_FORCE_PATH_STYLE ?? Boolean(env.S3_ENDPOINT),
              proxy: env.S3_PROXY,
              urlExpiresSeconds: env.S3_URL_EXPIRES_SECONDS,
            }
          : undefined,
    },
    metrics: { token: env.METRICS_TOKEN },
    docs: { enabled: env.DOCS_ENABLED },
    healthFile: env.HEALTH_FILE,
    webhooks: {
      allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
      allowedHosts: env.WEBHOOK_ALLOWED_HOSTS.map((h) => h.toLowerCase().replace(/^\[(.*)\]$/, '$1')),
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      pollMs: env.WEBHOOK_POLL_MS,
    },
  };
}

/** Names of every variable the app validates (kept in step with .env.example by a test). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
