// Ajv validators for the official schemas vendored in test/specs: Adaptive Card 1.5 (draft-06) and the Teams
// manifest 1.29 (draft-04, compiled by ajv's default draft since it uses no draft-04-only keyword).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { MAX_CARD_BYTES } from '../../../adapters/teams/limits.ts';

const SPECS = new URL('../../specs/', import.meta.url);
const require = createRequire(import.meta.url);

// ajv-formats is CommonJS with a default export; under NodeNext the default import is the module object.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

function readSpec(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, SPECS), 'utf8')) as Record<string, unknown>;
}

const cardAjv = new Ajv({ strict: false, allErrors: true });
addFormats(cardAjv);
cardAjv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
// Draft-06 names the schema's identity `id`; ajv 8 only understands `$id`.
const { id: cardSchemaId, ...cardSchema } = readSpec('adaptive-card-1.5.schema.json');
const adaptiveCardSchema = cardAjv.compile<unknown>({ ...cardSchema, $id: cardSchemaId as string });

const manifestAjv = new Ajv({ strict: false, allErrors: true });
addFormats(manifestAjv);
const { $schema: _draft04, ...manifestSchema } = readSpec('teams-manifest-1.29.schema.json');
const teamsManifestSchema = manifestAjv.compile<unknown>(manifestSchema);

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 10).map((error) => `${error.instancePath || '/'} ${error.message}`);
}

export function adaptiveCardErrors(card: unknown): string[] {
  return adaptiveCardSchema(card) ? [] : describe(adaptiveCardSchema.errors);
}

export function manifestErrors(manifest: unknown): string[] {
  return teamsManifestSchema(manifest) ? [] : describe(teamsManifestSchema.errors);
}

/** Every Adaptive Card anywhere in a payload (attachments, task modules, invoke values). */
export function adaptiveCardsIn(payload: unknown): Record<string, unknown>[] {
  if (!payload || typeof payload !== 'object') return [];
  if (Array.isArray(payload)) return payload.flatMap(adaptiveCardsIn);
  const object = payload as Record<string, unknown>;
  if (object.type === 'AdaptiveCard') return [object];
  return Object.values(object).flatMap(adaptiveCardsIn);
}

/** Checks each card in the payload against the schema and Teams' size limit; returns the cards. */
export function checkedCards(payload: unknown): Record<string, unknown>[] {
  const cards = adaptiveCardsIn(payload);
  for (const card of cards) {
    const errors = adaptiveCardErrors(card);
    if (errors.length > 0)
      throw new Error(`invalid Adaptive Card: ${errors.join('; ')}\n${JSON.stringify(card)}`);
    const bytes = Buffer.byteLength(JSON.stringify(card));
    if (bytes > MAX_CARD_BYTES) throw new Error(`Adaptive Card of ${bytes} bytes exceeds ${MAX_CARD_BYTES}`);
  }
  return cards;
}

type SchemaNode = {
  version?: string;
  properties?: Record<string, SchemaNode>;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  $ref?: string;
};
const definitions = (cardSchema as { definitions: Record<string, SchemaNode> }).definitions;

function referenced(node: SchemaNode | undefined): SchemaNode | undefined {
  return node?.$ref ? definitions[node.$ref.replace('#/definitions/', '')] : undefined;
}

/** A property's schema, looked up through the element's `allOf` chain (Extendable.Element etc.). */
function propertySchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!node) return undefined;
  if (node.properties?.[key]) return node.properties[key];
  for (const parent of node.allOf ?? []) {
    const found = propertySchema(referenced(parent) ?? parent, key);
    if (found) return found;
  }
  return undefined;
}

function introducedIn(node: SchemaNode | undefined): string | undefined {
  if (!node) return undefined;
  const versions = [
    node.version,
    referenced(node)?.version,
    ...(node.anyOf ?? []).map((n) => referenced(n)?.version),
  ];
  return versions
    .filter((v): v is string => Boolean(v))
    .sort()
    .at(-1);
}

/** Element types and properties the schema marks as newer than `version` (e.g. what a 1.3 host lacks). */
export function featuresNewerThan(card: unknown, version: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        visit(item, `${path}/${index}`);
      });
      return;
    }
    const object = value as Record<string, unknown>;
    const definition = typeof object.type === 'string' ? definitions[object.type] : undefined;
    if (definition) {
      if ((definition.version ?? '0') > version) found.push(`${path} ${object.type} (${definition.version})`);
      for (const key of Object.keys(object)) {
        const since = introducedIn(propertySchema(definition, key));
        if (since && since > version) found.push(`${path}/${key} (${since})`);
      }
    }
    for (const [key, child] of Object.entries(object)) visit(child, `${path}/${key}`);
  };
  visit(card, '');
  return found;
}
