// The Discord section of the configuration: DISCORD_* variables, read by src/config.ts's one loader.
import { z } from 'zod';
import { type ConfigSection, optionalText } from '../../src/config.ts';

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
  }),
};
