// The Discord section of the configuration: DISCORD_* variables, read by src/config.ts's one loader.
import { z } from 'zod';
import { type ConfigSection, type Env, loadSection, optionalText } from '../../src/config.ts';

export const DiscordSettings = z.object({
  applicationId: optionalText,
  publicKey: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'DISCORD_PUBLIC_KEY must be 64 hex characters')
      .optional(),
  ),
  botToken: optionalText,
  apiBaseUrl: z.url().default('https://discord.com/api'),
  /** The discord.js gateway client (link unfurls) inside `serve`. */
  gateway: z.enum(['on', 'off']).default('off'),
  /** Per channel: a flood of pasted links must not turn into a flood of cards. */
  unfurlsPerMinute: z.coerce.number().int().min(1).default(10),
});
export type DiscordSettings = z.infer<typeof DiscordSettings>;

export const DISCORD_SETTINGS: ConfigSection<DiscordSettings> = {
  name: 'discord',
  schema: DiscordSettings,
  fromEnv: (env) => ({
    applicationId: env.DISCORD_APPLICATION_ID,
    publicKey: env.DISCORD_PUBLIC_KEY,
    botToken: env.DISCORD_BOT_TOKEN,
    apiBaseUrl: env.DISCORD_API_BASE_URL,
    gateway: env.DISCORD_GATEWAY,
    unfurlsPerMinute: env.DISCORD_UNFURLS_PER_MINUTE,
  }),
};

/** The Discord settings of an environment that is known to be valid (tests, benchmarks). */
export function discordSettings(env: Env): DiscordSettings {
  const settings = loadSection(DISCORD_SETTINGS, env);
  if (!settings.ok) throw new Error(settings.reason);
  return settings.value;
}
