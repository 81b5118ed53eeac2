// `incident-cards teams package [--out FILE]`: writes the Teams app zip (manifest.json, color.png,
// outline.png) for sideloading or the admin centre.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import type { CliCommand, CliContext } from '../../src/adapter.ts';
import { loadConfig, loadSection } from '../../src/config.ts';
import { TEAMS_SETTINGS } from './config.ts';
import { colorIcon, outlineIcon } from './icons.ts';
import { deploymentManifest, loadTemplate, packageVersion } from './manifest.ts';

const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export const DEFAULT_PACKAGE_FILE = 'incident-cards-teams.zip';

const USAGE = `usage: incident-cards teams package [--out FILE]

Writes the Teams app package (default ./${DEFAULT_PACKAGE_FILE}): manifest/teams/manifest.json with the bot id
(MICROSOFT_APP_ID), the version and the link-unfurl domains (*.sentry.io, the PUBLIC_URL host, UNFURL_HOSTS)
filled in, plus the colour (192x192) and outline (32x32) icons. Upload it in Teams (Apps > Manage your apps >
Upload an app) or in the Teams admin centre.`;

export const teamsPackageCommand: CliCommand = {
  name: ['teams', 'package'],
  usage: USAGE,
  description: 'write the Teams app zip (manifest with the bot id filled in + icons)',
  run: packageCommand,
};

async function packageCommand(args: string[], context: CliContext): Promise<number> {
  let values: { out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    context.stderr(`${(error as Error).message}\n${USAGE.split('\n')[0]}`);
    return EXIT.usage;
  }
  if (values.help) {
    context.stdout(USAGE);
    return EXIT.ok;
  }
  const loaded = loadConfig(context.env);
  const teams = loadSection(TEAMS_SETTINGS, context.env);
  const failed = !loaded.ok ? loaded : !teams.ok ? teams : null;
  if (failed || !loaded.ok || !teams.ok) {
    context.stderr(`teams package: ${failed?.reason}`);
    return EXIT.usage;
  }
  const { publicUrl, unfurlHosts } = loaded.config;
  const settings = { appId: teams.value.appId, publicUrl, unfurlHosts };
  const built = deploymentManifest(await loadTemplate(), settings, await packageVersion());
  if (!built.ok) {
    context.stderr(`teams package: ${built.reason}`);
    return EXIT.usage;
  }
  const out = resolve(values.out ?? DEFAULT_PACKAGE_FILE);
  const zip = zipSync({
    'manifest.json': Buffer.from(`${JSON.stringify(built.manifest, null, 2)}\n`),
    'color.png': colorIcon(),
    'outline.png': outlineIcon(),
  });
  try {
    await writeFile(out, zip);
  } catch (error) {
    context.stderr(`teams package: cannot write ${out}: ${(error as Error).message}`);
    return EXIT.failure;
  }
  context.stdout(`wrote ${out} (bot ${teams.value.appId}, ${zip.length} bytes)`);
  return EXIT.ok;
}
