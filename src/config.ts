// Reads the environment once into a typed config; CLI flags override it in cli.ts. The platform settings are
// sections their adapters own (a zod schema and the variables it reads), parsed by the same loader.
import { z } from 'zod';

/** An optional setting: unset and blank are the same. */
export const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export const Config = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3978),
  host: z.string().default('0.0.0.0'),
  publicUrl: z
    .url()
    .default('http://localhost:3978')
    .transform((url) => url.replace(/\/+$/, '')),
  dataDir: z.string().default('./data'),
  /** The HMAC key of signed URLs; generated into dataDir when unset (http/signing-secret.ts). */
  signingSecret: optionalText.pipe(
    z.string().min(16, 'SIGNING_SECRET must be at least 16 characters').optional(),
  ),
  queryBackend: z.enum(['duckdb', 'clickhouse']).default('duckdb'),
  clickhouse: z.object({
    url: z.url().default('http://127.0.0.1:8123'),
    database: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
      .default('incident_cards'),
    user: optionalText,
    password: optionalText,
    cluster: optionalText,
  }),
  unfurlHosts: z
    .string()
    .default('')
    .transform((hosts) =>
      hosts
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  nodeEnv: z.string().default('development'),
  /** How long the bulk runner keeps a computed metric value. */
  metricCacheMs: z.coerce.number().int().min(0).default(5_000),
  /** Per-query time limit of the bulk runner. */
  queryTimeoutMs: z.coerce.number().int().min(1).default(1_500),
  /** Live alerting: seconds between evaluation ticks; 0 turns the evaluator off. */
  alertEvalIntervalS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Live demo traffic in `serve`: auto = only when the store holds the demo dataset. */
  demoTraffic: z.enum(['auto', 'on', 'off']).default('auto'),
  /** How long SIGTERM waits for requests in flight, deferred replies and shutdown steps before exiting. */
  shutdownGraceMs: z.coerce.number().int().min(0).default(10_000),
});
export type Env = Readonly<Record<string, string | undefined>>;

export type Config = z.infer<typeof Config> & {
  /** The environment the config was read from: adapters read their own section of it with loadSection. */
  env: Env;
};

/** A group of settings an adapter owns: its schema and the environment variables that fill it. */
export type ConfigSection<T> = {
  name: string;
  schema: z.ZodType<T>;
  fromEnv(env: Env): unknown;
};

export type SectionResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export type ConfigResult = { ok: true; config: Config } | { ok: false; reason: string };

const CORE: ConfigSection<z.infer<typeof Config>> = {
  name: '',
  schema: Config,
  fromEnv: (env) => ({
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    dataDir: env.DATA_DIR,
    signingSecret: env.SIGNING_SECRET,
    queryBackend: env.QUERY_BACKEND,
    clickhouse: {
      url: env.CLICKHOUSE_URL,
      database: env.CLICKHOUSE_DATABASE,
      user: env.CLICKHOUSE_USER,
      password: env.CLICKHOUSE_PASSWORD,
      cluster: env.CLICKHOUSE_CLUSTER,
    },
    unfurlHosts: env.UNFURL_HOSTS,
    logLevel: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
    metricCacheMs: env.METRIC_CACHE_MS,
    queryTimeoutMs: env.QUERY_TIMEOUT_MS,
    alertEvalIntervalS: env.ALERT_EVAL_INTERVAL_S,
    demoTraffic: env.DEMO_TRAFFIC,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  }),
};

export function loadConfig(env: Env = process.env): ConfigResult {
  const core = loadSection(CORE, env);
  if (!core.ok) return core;
  const clickhouse = credentialsFromUrl(core.value.clickhouse);
  return clickhouse.ok
    ? { ok: true, config: { ...core.value, clickhouse: clickhouse.value, env } }
    : clickhouse;
}

type ClickHouseSettings = z.infer<typeof Config>['clickhouse'];

/**
 * `http://user:password@host:8123`: the HTTP client sends credentials as headers and the URL's would be dropped
 * without a word, so they are moved into user/password; both forms at once are ambiguous and refused.
 */
function credentialsFromUrl(
  settings: ClickHouseSettings,
): { ok: true; value: ClickHouseSettings } | { ok: false; reason: string } {
  const url = new URL(settings.url);
  if (!url.username && !url.password) return { ok: true, value: settings };
  if (settings.user || settings.password)
    return {
      ok: false,
      reason:
        'clickhouse.url: CLICKHOUSE_URL carries credentials and CLICKHOUSE_USER/CLICKHOUSE_PASSWORD are set too; keep one of them',
    };
  const user = decodeURIComponent(url.username) || undefined;
  const password = decodeURIComponent(url.password) || undefined;
  url.username = '';
  url.password = '';
  return { ok: true, value: { ...settings, url: url.toString().replace(/\/+$/, ''), user, password } };
}

/** The one loader: every section, ours or an adapter's, is parsed and reported the same way. */
export function loadSection<T>(section: ConfigSection<T>, env: Env): SectionResult<T> {
  const parsed = section.schema.safeParse(section.fromEnv(env));
  if (parsed.success) return { ok: true, value: parsed.data };
  const first = parsed.error.issues[0];
  const path = [section.name, ...(first?.path ?? [])].filter((part) => part !== '').join('.');
  return { ok: false, reason: `${path || 'config'}: ${first?.message ?? 'invalid'}` };
}
