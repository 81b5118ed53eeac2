// Ajv validators for the official Discord OpenAPI spec (vendored in test/specs): interaction callbacks, webhook edits
// and command definitions. The whole spec is added under one $id so that its internal $refs resolve.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

const SPEC_ID = 'https://discord.local/openapi.json';
const SPEC_PATH = new URL('../../specs/discord-openapi.json', import.meta.url);

// ajv-formats is CommonJS with a default export; under NodeNext the default import is the module object.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const format of ['int32', 'int64', 'snowflake', 'double', 'float', 'nonce']) ajv.addFormat(format, true);
ajv.addSchema(JSON.parse(readFileSync(SPEC_PATH, 'utf8')), SPEC_ID);

function pointer(...segments: string[]): string {
  return `${SPEC_ID}#/${segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')}`;
}

function compile(ref: string): ValidateFunction {
  return ajv.compile({ $ref: ref });
}

const callback = compile(
  pointer(
    'paths',
    '/interactions/{interaction_id}/{interaction_token}/callback',
    'post',
    'requestBody',
    'content',
    'application/json',
    'schema',
  ),
);
const editOriginal = compile(
  pointer(
    'paths',
    '/webhooks/{webhook_id}/{webhook_token}/messages/@original',
    'patch',
    'requestBody',
    'content',
    'application/json',
    'schema',
  ),
);
const bulkCommands = compile(
  pointer(
    'paths',
    '/applications/{application_id}/commands',
    'put',
    'requestBody',
    'content',
    'application/json',
    'schema',
  ),
);

function check(validate: ValidateFunction, what: string, body: unknown): void {
  if (validate(body)) return;
  throw new Error(
    `${what} does not match the Discord OpenAPI schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
  );
}

/** Throws unless `body` is a valid `POST /interactions/{id}/{token}/callback` request body. */
export function expectValidCallback(body: unknown): void {
  check(callback, 'interaction callback', body);
}

export function expectValidEditOriginal(body: unknown): void {
  check(editOriginal, 'webhook message edit', body);
}

export function expectValidCommands(body: unknown): void {
  check(bulkCommands, 'command list', body);
}

const channelMessage = (method: 'post' | 'patch', path: string) =>
  compile(pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema'));
const createMessage = channelMessage('post', '/channels/{channel_id}/messages');
const editMessage = channelMessage('patch', '/channels/{channel_id}/messages/{message_id}');

/** `POST /channels/{id}/messages` (the gateway's unfurl reply). */
export function expectValidCreateMessage(body: unknown): void {
  check(createMessage, 'channel message', body);
}

/** `PATCH /channels/{id}/messages/{id}` (an unfurl reply edited to match its message). */
export function expectValidEditMessage(body: unknown): void {
  check(editMessage, 'channel message edit', body);
}
