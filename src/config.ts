// Reads the environment once (CONTRACT §2) into a typed config; CLI flags override it in cli.ts.
import { z } from 'zod';

const OnOff = z.enum(['on', 'off']);
const optionalText = z
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
  discord: z.object({
    applicationId: optionalText,
    publicKey: optionalText.pipe(
      z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, 'DISCORD_PUBLIC_KEY must be 64 hex characters')
        .optional(),
    ),
    botToken: optionalText,
    apiBaseUrl: z.url().default('https://discord.com/api'),
  }),
  teams: z.object({
    appId: optionalText,
    appPassword: optionalText,
    appType: optionalText,
    tenantId: optionalText,
    openIdMetadataUrl: optionalText,
    auth: OnOff.default('on'),
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
});
export type Config = z.infer<typeof Config>;

type Env = Record<string, string | undefined>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; reason: string };

export function loadConfig(env: Env = process.env): ConfigResult {
  const parsed = Config.safeParse({
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
    discord: {
      applicationId: env.DISCORD_APPLICATION_ID,
      publicKey: env.DISCORD_PUBLIC_KEY,
      botToken: env.DISCORD_BOT_TOKEN,
      apiBaseUrl: env.DISCORD_API_BASE_URL,
    },
    teams: {
      appId: env.MICROSOFT_APP_ID,
      appPassword: env.MICROSOFT_APP_PASSWORD,
      appType: env.MICROSOFT_APP_TYPE,
      tenantId: env.MICROSOFT_APP_TENANT_ID,
      openIdMetadataUrl: env.TEAMS_OPENID_METADATA_URL,
      auth: env.TEAMS_AUTH,
    },
    unfurlHosts: env.UNFURL_HOSTS,
    logLevel: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
    metricCacheMs: env.METRIC_CACHE_MS,
    queryTimeoutMs: env.QUERY_TIMEOUT_MS,
  });
  if (parsed.success) return { ok: true, config: parsed.data };
  const first = parsed.error.issues[0];
  return { ok: false, reason: `${first?.path.join('.') ?? 'config'}: ${first?.message ?? 'invalid'}` };
}
