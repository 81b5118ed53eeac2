// The Teams section of the configuration: MICROSOFT_APP_* and TEAMS_* variables (and NODE_ENV, which decides
// whether TEAMS_AUTH=off is allowed), read by src/config.ts's one loader.
import { z } from 'zod';
import { type ConfigSection, optionalText } from '../../src/config.ts';

export const TeamsSettings = z.object({
  appId: optionalText,
  appPassword: optionalText,
  appType: optionalText,
  tenantId: optionalText,
  openIdMetadataUrl: optionalText,
  auth: z.enum(['on', 'off']).default('on'),
  nodeEnv: z.string().default('development'),
});
export type TeamsSettings = z.infer<typeof TeamsSettings>;

export const TEAMS_SETTINGS: ConfigSection<TeamsSettings> = {
  name: 'teams',
  schema: TeamsSettings,
  fromEnv: (env) => ({
    appId: env.MICROSOFT_APP_ID,
    appPassword: env.MICROSOFT_APP_PASSWORD,
    appType: env.MICROSOFT_APP_TYPE,
    tenantId: env.MICROSOFT_APP_TENANT_ID,
    openIdMetadataUrl: env.TEAMS_OPENID_METADATA_URL,
    auth: env.TEAMS_AUTH,
    nodeEnv: env.NODE_ENV,
  }),
};
