// Reads a request's raw bytes up to a size limit (signatures cover the exact bytes, so nothing is decoded here).
import type { IncomingMessage } from 'node:http';

/** Interactions and activities are small; anything near this is not from a chat platform. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' };

export async function readRawBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return { ok: false, reason: 'too_large' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      // Keep draining (without keeping) so that the client can read the 413 instead of a reset connection.
      request.resume();
      return { ok: false, reason: 'too_large' };
    }
    chunks.push(chunk);
  }
  return { ok: true, body: Buffer.concat(chunks, size) };
}
