// Reads an ingestion request's body within the size limits and decodes its Content-Encoding.
import type { IncomingMessage } from 'node:http';
import { readRawBody } from '../http/read-body.ts';
import { decodeBody } from './decompress.ts';
import { INGEST_LIMITS } from './limits.ts';

export type BodyRead = { ok: true; body: Buffer } | { ok: false; status: 400 | 413 | 415; reason: string };

export async function readIngestBody(request: IncomingMessage): Promise<BodyRead> {
  const raw = await readRawBody(request, INGEST_LIMITS.maxBodyBytes);
  if (!raw.ok)
    return { ok: false, status: 413, reason: `the body is larger than ${INGEST_LIMITS.maxBodyBytes} bytes` };
  const encoding = request.headers['content-encoding'];
  return decodeBody(
    raw.body,
    Array.isArray(encoding) ? encoding[0] : encoding,
    INGEST_LIMITS.maxDecompressedBytes,
  );
}
