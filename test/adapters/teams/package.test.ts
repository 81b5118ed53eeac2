// The Teams app manifest and `incident-cards teams package`: the template and the packaged manifest validate
// against the official 1.29 schema; the zip holds the icons Teams asks for.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICON_SIZES } from '../../../adapters/teams/icons.ts';
import { teamsCliCommands } from '../../../adapters/teams/index.ts';
import { loadTemplate } from '../../../adapters/teams/manifest.ts';
import { pngInfo } from '../../../adapters/teams/png.ts';
import type { CliContext } from '../../../src/adapter.ts';
import { manifestErrors } from './schemas.ts';

const APP_ID = 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const ENV = {
  MICROSOFT_APP_ID: APP_ID,
  PUBLIC_URL: 'https://incidents.example.com:8443',
  UNFURL_HOSTS: 'sentry.acme.internal',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'teams-package-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = ENV) {
  const command = teamsCliCommands.find((candidate) => candidate.name.join(' ') === 'teams package')!;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const context: CliContext = {
    openApp: () => Promise.reject(new Error('teams package needs no store')),
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env,
  };
  const code = await command.run(args, context);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

it('the committed template is a valid 1.29 manifest', async () => {
  const template = await loadTemplate();
  expect(template.$schema).toBe(
    'https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/MicrosoftTeams.schema.json',
  );
  expect(manifestErrors(template)).toEqual([]);
});

describe('teams package', () => {
  it('writes a zip whose manifest validates, with the bot id and domains filled in', async () => {
    const out = join(dir, 'app.zip');
    const result = await run(['--out', out]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(out);
    const files = unzipSync(new Uint8Array(await readFile(out)));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8'));
    expect(manifestErrors(manifest)).toEqual([]);
    expect(manifest.bots[0]).toMatchObject({ botId: APP_ID, scopes: ['personal', 'team', 'groupChat'] });
    const extension = manifest.composeExtensions[0];
    expect(extension.botId).toBe(APP_ID);
    expect(extension.commands).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'searchIncidents', type: 'query' }),
        expect.objectContaining({ type: 'action', context: ['message'], fetchTask: true }),
      ]),
    );
    expect(extension.messageHandlers).toEqual([
      { type: 'link', value: { domains: ['*.sentry.io', 'incidents.example.com', 'sentry.acme.internal'] } },
    ]);
    expect(manifest.validDomains).toEqual(['incidents.example.com', 'sentry.acme.internal']);
  });

  it('packs a 192×192 colour icon and a 32×32 white-on-transparent outline icon', async () => {
    const out = join(dir, 'icons.zip');
    await run(['--out', out]);
    const files = unzipSync(new Uint8Array(await readFile(out)));
    expect(pngInfo(Buffer.from(files['color.png']!))).toMatchObject({ width: ICON_SIZES.color, height: 192 });
    const outline = Buffer.from(files['outline.png']!);
    expect(pngInfo(outline)).toEqual({ width: 32, height: 32, colourType: 6 });
    const pixels = rgbaRows(outline, 32);
    expect(pixels.every(([r, g, b]) => r === 255 && g === 255 && b === 255)).toBe(true);
    expect(pixels[0]![3]).toBe(0);
    expect(pixels.some(([, , , alpha]) => alpha === 255)).toBe(true);
  });

  it('prints its usage with --help', async () => {
    expect(await run(['--help'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('usage: incident-cards teams package'),
    });
  });

  it.each([
    ['an unknown flag', ['--bogus'], ENV, /Unknown option/],
    [
      'no app id',
      ['--out', '/dev/null'],
      { PUBLIC_URL: 'https://incidents.example.com' },
      /MICROSOFT_APP_ID/,
    ],
    ['an app id that is not a GUID', ['--out', '/dev/null'], { MICROSOFT_APP_ID: 'my-bot' }, /GUID/],
  ])('exits 2 on %s', async (_situation, args, env, message) => {
    const result = await run(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exits 1 when the zip cannot be written', async () => {
    const result = await run(['--out', join(dir, 'missing-directory', 'app.zip')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot write/);
  });
});

/** The pixels of a PNG written by our encoder (one IDAT chunk, filter 0 on every row). */
function rgbaRows(png: Buffer, size: number): [number, number, number, number][] {
  const idat = png.indexOf('IDAT');
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  const pixels: [number, number, number, number][] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = y * (size * 4 + 1) + 1 + x * 4;
      pixels.push([raw[at]!, raw[at + 1]!, raw[at + 2]!, raw[at + 3]!]);
    }
  }
  return pixels;
}
