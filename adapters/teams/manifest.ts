// The Teams app manifest for this deployment: the committed template (manifest/teams/manifest.json) with the
// bot id, version and domains filled in from the configuration.
import { readFile } from 'node:fs/promises';
import type { Config } from '../../src/config.ts';

export const MANIFEST_TEMPLATE = new URL('../../manifest/teams/manifest.json', import.meta.url);
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** Sentry-style alert links (`https://<org>.sentry.io/alerts/rules/details/<rule>/?alert=<id>`) unfurl on every `<org>.sentry.io`. */
const SENTRY_DOMAIN = '*.sentry.io';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

type Manifest = Record<string, unknown> & {
  bots: Record<string, unknown>[];
  composeExtensions: (Record<string, unknown> & {
    messageHandlers: { type: string; value: Record<string, unknown> }[];
  })[];
};

export type ManifestResult = { ok: true; manifest: Record<string, unknown> } | { ok: false; reason: string };

export async function loadTemplate(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(MANIFEST_TEMPLATE, 'utf8')) as Record<string, unknown>;
}

export async function packageVersion(): Promise<string> {
  const { version } = JSON.parse(await readFile(PACKAGE_JSON, 'utf8')) as { version: string };
  return version;
}

/** What the manifest is filled in with: the bot's app id and where the deployment's links live. */
export type ManifestSettings = Pick<Config, 'publicUrl' | 'unfurlHosts'> & { appId: string | undefined };

export function deploymentManifest(
  template: Record<string, unknown>,
  config: ManifestSettings,
  version: string,
): ManifestResult {
  const botId = config.appId;
  if (!botId || !GUID.test(botId)) {
    return { ok: false, reason: "MICROSOFT_APP_ID must be set to the bot registration's app id (a GUID)" };
  }
  const publicHost = new URL(config.publicUrl).hostname;
  const hosts = unique([publicHost, ...config.unfurlHosts.map((host) => host.replace(/:\d+$/, ''))]);
  const manifest = structuredClone(template) as Manifest;
  manifest.version = version;
  manifest.developer = {
    ...(manifest.developer as Record<string, unknown>),
    websiteUrl: config.publicUrl,
    privacyUrl: config.publicUrl,
    termsOfUseUrl: config.publicUrl,
  };
  for (const bot of manifest.bots) bot.botId = botId;
  for (const extension of manifest.composeExtensions) {
    extension.botId = botId;
    for (const handler of extension.messageHandlers) {
      if (handler.type === 'link') handler.value = { ...handler.value, domains: [SENTRY_DOMAIN, ...hosts] };
    }
  }
  manifest.validDomains = hosts;
  return { ok: true, manifest };
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}
