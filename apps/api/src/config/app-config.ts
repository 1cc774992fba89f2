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
  STORAGE_DIR: z.preprocess(emptyToUndefined, z.string().default('storage')),
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
  storageDir: string;
  generation: { maxDurationSeconds: number };
  space: { id?: string; token?: string };
  log: { level: Env['LOG_LEVEL']; format: 'json' | 'pretty' };
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
    storageDir: env.STORAGE_DIR,
    generation: { maxDurationSeconds: env.MAX_DURATION_SECONDS },
    space: { id: env.HF_SPACE_ID, token: env.HF_API_TOKEN },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? (isProduction ? 'json' : 'pretty') },
  };
}

/** Names of every variable the app validates (kept in step with .env.example by a test). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
