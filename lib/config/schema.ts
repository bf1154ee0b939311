/**
 * Environment → typed, frozen Config (DESIGN.md §4). Pure: the caller passes the env object, so
 * tests never touch process.env. Every problem is reported at once, with the variable name.
 */
import { z } from 'zod';

const boolEnv = (name: string, fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const v = value.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be 1/0 (or true/false), got "${value}"` });
      return z.NEVER;
    });

const portEnv = (fallback: number, allowZero: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const n = Number(value);
      const min = allowZero ? 0 : 1;
      if (!/^\d+$/.test(value.trim()) || n < min || n > 65535) {
        ctx.addIssue({ code: 'custom', message: `must be an integer port ${min}–65535, got "${value}"` });
        return z.NEVER;
      }
      return n;
    });

const connectionStringSchema = z
  .string()
  .trim()
  .refine((s) => /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\//.test(s), {
    message: 'must start with esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://',
  });

const envSchema = z.object({
  ESDB_CONNECTION_STRING: connectionStringSchema.optional(),
  KURRENTDB_CONNECTION_STRING: connectionStringSchema.optional(),
  PORT: portEnv(3000, true),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  SUBWATCH_DATA_DIR: z.string().trim().min(1).default('./data'),
  SUBWATCH_CONFIG: z.string().trim().min(1).optional(),
  SUBWATCH_ADMIN_TOKEN: z
    .string()
    .optional()
    .refine((t) => t === undefined || t === '' || t.length >= 16, {
      message: 'must be at least 16 characters (or unset for a random token)',
    }),
  SUBWATCH_PUBLIC_READ: boolEnv('SUBWATCH_PUBLIC_READ', false),
  SUBWATCH_DEMO: z.string().optional(),
  SUBWATCH_DEMO_FAULT_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  SUBWATCH_STORE_URL: z
    .string()
    .optional()
    .refine((u) => u === undefined || u.trim() === '' || /^(redis|rediss|postgres|postgresql):\/\//.test(u.trim()), {
      message: 'must be a redis://, rediss://, postgres:// or postgresql:// URL (unset = SQLite in SUBWATCH_DATA_DIR)',
    }),
  SUBWATCH_INSTANCE_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ".", "_" and "-" only (at most 100)')
    .optional(),
  EMBEDDED_ESDB_PORT: portEnv(2113, true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export interface Config {
  readonly esdb: { readonly connectionString: string | undefined; readonly embeddedPort: number };
  readonly http: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  /** Shared dedup store (Redis/PostgreSQL URL); undefined = SQLite in dataDir. */
  readonly store: { readonly url: string | undefined; readonly instanceId: string | undefined };
  readonly configFile: string | undefined;
  readonly auth: { readonly token: string | undefined; readonly publicRead: boolean };
  readonly demo: { readonly enabled: boolean; readonly faultIntervalMs: number };
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly dev: boolean;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** @throws ConfigError listing every problem (one line per variable). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.ESDB_CONNECTION_STRING && e.KURRENTDB_CONNECTION_STRING && e.ESDB_CONNECTION_STRING !== e.KURRENTDB_CONNECTION_STRING) {
    problems.push('ESDB_CONNECTION_STRING and KURRENTDB_CONNECTION_STRING are both set and differ: set only one');
  }
  // The Node client 6.2.1 parses only esdb:// and esdb+discover://; KurrentDB's schemes have the same format.
  const connectionString = (e.ESDB_CONNECTION_STRING || e.KURRENTDB_CONNECTION_STRING || undefined)?.replace(
    /^(?:kurrentdb|kdb)(\+discover)?:\/\//,
    'esdb$1://',
  );
  let demo = connectionString === undefined;
  if (e.SUBWATCH_DEMO !== undefined && e.SUBWATCH_DEMO.trim() !== '') {
    const v = e.SUBWATCH_DEMO.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) demo = true;
    else if (['0', 'false', 'no', 'off'].includes(v)) demo = false;
    else problems.push(`SUBWATCH_DEMO: must be 1/0 (or true/false), got "${e.SUBWATCH_DEMO}"`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    esdb: Object.freeze({ connectionString, embeddedPort: e.EMBEDDED_ESDB_PORT }),
    http: Object.freeze({ host: e.HOST, port: e.PORT }),
    dataDir: e.SUBWATCH_DATA_DIR,
    store: Object.freeze({ url: e.SUBWATCH_STORE_URL?.trim() || undefined, instanceId: e.SUBWATCH_INSTANCE_ID }),
    configFile: e.SUBWATCH_CONFIG,
    auth: Object.freeze({ token: e.SUBWATCH_ADMIN_TOKEN || undefined, publicRead: e.SUBWATCH_PUBLIC_READ }),
    demo: Object.freeze({ enabled: demo, faultIntervalMs: e.SUBWATCH_DEMO_FAULT_INTERVAL_MS }),
    logLevel: e.LOG_LEVEL,
    dev: e.NODE_ENV === 'development',
  });
}
