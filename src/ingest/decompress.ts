// Decodes a request body by its Content-Encoding (gzip, deflate, br), refusing to inflate past a limit.
import { brotliDecompressSync, gunzipSync, inflateSync, inflateRawSync } from 'node:zlib';

export type DecodeResult =
  | { ok: true; body: Buffer }
  | { ok: false; status: 400 | 413 | 415; reason: string };

export function decodeBody(body: Buffer, encoding: string | undefined, maxBytes: number): DecodeResult {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === '' || name === 'identity') return { ok: true, body };
  const options = { maxOutputLength: maxBytes };
  try {
    if (name === 'gzip' || name === 'x-gzip') return { ok: true, body: gunzipSync(body, options) };
    if (name === 'br') return { ok: true, body: brotliDecompressSync(body, options) };
    if (name === 'deflate') {
      // HTTP's "deflate" is zlib-wrapped, but some clients send raw deflate: accept both.
      try {
        return { ok: true, body: inflateSync(body, options) };
      } catch (error) {
        if (isTooLarge(error)) throw error;
        return { ok: true, body: inflateRawSync(body, options) };
      }
    }
  } catch (error) {
    if (isTooLarge(error)) {
      return { ok: false, status: 413, reason: `the body inflates past ${maxBytes} bytes` };
    }
    return { ok: false, status: 400, reason: `cannot decode the ${name} body: ${(error as Error).message}` };
  }
  return {
    ok: false,
    status: 415,
    reason: `unsupported Content-Encoding "${name}" (use gzip, deflate or br)`,
  };
}

function isTooLarge(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
}
