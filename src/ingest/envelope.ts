// Parses Sentry's envelope format: a JSON header line, then items, each a JSON header line and a payload of
// `length` bytes (or up to the next newline when the header has no length).
// https://develop.sentry.dev/sdk/data-model/envelopes/
import { INGEST_LIMITS } from './limits.ts';

export type EnvelopeHeader = { event_id?: unknown; dsn?: unknown; [key: string]: unknown };
export type ItemHeader = { type: string; length?: number; content_type?: string; [key: string]: unknown };
export type EnvelopeItem = { header: ItemHeader; payload: Buffer };
export type Envelope = { header: EnvelopeHeader; items: EnvelopeItem[] };

export type EnvelopeResult =
  | { ok: true; envelope: Envelope }
  | { ok: false; status: 400 | 413; reason: string };

const NEWLINE = 0x0a;

export function parseEnvelope(body: Buffer): EnvelopeResult {
  let offset = 0;
  const line = (): Buffer | null => {
    if (offset >= body.length) return null;
    let end = body.indexOf(NEWLINE, offset);
    if (end === -1) end = body.length;
    const slice = body.subarray(offset, end);
    offset = end + 1;
    return slice;
  };
  const headerLine = line();
  const header = headerLine ? parseObject(headerLine) : null;
  if (!header) return { ok: false, status: 400, reason: 'envelope header: not a JSON object' };
  const items: EnvelopeItem[] = [];
  while (offset < body.length) {
    const itemLine = line();
    if (!itemLine || itemLine.toString().trim() === '') continue;
    const itemHeader = parseObject(itemLine);
    const where = `item ${items.length + 1}`;
    if (!itemHeader || typeof itemHeader.type !== 'string') {
      return { ok: false, status: 400, reason: `${where}: header is not a JSON object with a type` };
    }
    const length = itemHeader.length;
    let payload: Buffer;
    if (length !== undefined && length !== null) {
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
        return { ok: false, status: 400, reason: `${where}: length must be a whole number of bytes` };
      }
      if (offset + length > body.length) {
        return {
          ok: false,
          status: 400,
          reason: `${where}: length ${length} runs past the end of the envelope`,
        };
      }
      payload = body.subarray(offset, offset + length);
      offset += length;
      if (body[offset] === NEWLINE) offset++;
    } else {
      payload = line() ?? Buffer.alloc(0);
    }
    if (payload.length > INGEST_LIMITS.maxItemBytes) {
      return {
        ok: false,
        status: 413,
        reason: `${where}: ${payload.length} bytes, more than ${INGEST_LIMITS.maxItemBytes}`,
      };
    }
    items.push({ header: itemHeader as ItemHeader, payload });
    if (items.length > INGEST_LIMITS.maxItems) {
      return { ok: false, status: 413, reason: `more than ${INGEST_LIMITS.maxItems} items` };
    }
  }
  return { ok: true, envelope: { header, items } };
}

function parseObject(bytes: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
