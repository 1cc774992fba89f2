import { AUTH_MODES, type AuthMode } from '@texttune/contracts';
import { z } from 'zod';

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
  AUTH_MODE: z.preprocess(emptyToUndefined, z.enum(AUTH_MODES).optional()),
  ADMIN_EMAILS: commaList,
  AUTH_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyToUndefined, int(1, 100000).default(20)),
  ALLOW_ORIGIN: commaList,
  TRUST_PROXY: bool,
  BODY_LIMIT: z.preprocess(emptyToUndefined, z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb').default('1mb')),
  MAX_DURATION_SECONDS: z.preprocess(emptyToUndefined, int(1, 600).default(12)),
  DATABASE_URL: postgresUrl,
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
  REDIS_URL: redisUrl,
  REDIS_PREFIX: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only').default('texttune')),
  STORAGE_DIR: z.preprocess(emptyToUndefined, z.string().default('storage')),
  MAX_ACTIVE_JOBS_PER_USER: z.preprocess(emptyToUndefined, int(1, 1000).default(3)),
  MAX_QUEUE_LENGTH: z.preprocess(emptyToUndefined, int(1, 1_000_000).default(1000)),
  DAILY_SECONDS_QUOTA: z.preprocess(emptyToUndefined, int(0, 10_000_000).default(0)),
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
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['json', 'pretty']).optional()),
});

type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  role: ProcessRole;
  http: { port: number; host: string; allowOrigins: string[]; trustProxy: boolean; bodyLimit: string };
  auth: {
    mode: AuthMode;
    jwtSecret: string;
    sessionTtlHours: number;
    adminEmails: string[];
    rateLimitPerMinute: number;
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
  space: { id?: string; token?: string };
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
  if (isProduction && env.JWT_SECRET === DEV_JWT_SECRET) {
    problems.push('JWT_SECRET: must be set to a long random value in production (the development default is refused); e.g. `openssl rand -hex 32`');
  } else if (isProduction && env.JWT_SECRET.length < 32) {
    problems.push('JWT_SECRET: must be at least 32 characters in production');
  }
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
  if (problems.length) throw new ConfigError(problems);

  return {
    env: env.NODE_ENV,
    isProduction,
    role: env.TEXTTUNE_ROLE,
    http: { port: env.PORT, host: env.HOST, allowOrigins: env.ALLOW_ORIGIN, trustProxy: env.TRUST_PROXY, bodyLimit: env.BODY_LIMIT },
    auth: {
      mode: env.AUTH_MODE ?? (isProduction ? 'password' : 'open'),
      jwtSecret: env.JWT_SECRET,
      sessionTtlHours: env.SESSION_TTL_HOURS,
      adminEmails: env.ADMIN_EMAILS.map((e) => e.toLowerCase()),
      rateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
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
    space: { id: env.HF_SPACE_ID, token: env.HF_API_TOKEN },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? (isProduction ? 'json' : 'pretty') },
  };
}

/** Names of every variable the app validates (kept in step with .env.example by a test). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
