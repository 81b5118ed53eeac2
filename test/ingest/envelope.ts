// Hand-built envelopes for the cases an SDK never sends (malformed items) and for other SDKs' item types.
export type Item = { header: Record<string, unknown>; payload: string | Buffer | object };

export function envelope(header: Record<string, unknown>, items: Item[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(header)}\n`)];
  for (const item of items) {
    const payload = Buffer.isBuffer(item.payload)
      ? item.payload
      : Buffer.from(typeof item.payload === 'string' ? item.payload : JSON.stringify(item.payload));
    parts.push(
      Buffer.from(`${JSON.stringify({ length: payload.length, ...item.header })}\n`),
      payload,
      Buffer.from('\n'),
    );
  }
  return Buffer.concat(parts);
}

export const eventId = (n: number) => n.toString(16).padStart(32, '0');

export function errorEvent(n: number, extra: object = {}): Item {
  return {
    header: { type: 'event' },
    payload: {
      event_id: eventId(n),
      timestamp: Date.now() / 1000,
      level: 'error',
      environment: 'production',
      exception: { values: [{ type: 'TypeError', value: 'x is undefined' }] },
      ...extra,
    },
  };
}

export async function post(
  url: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { detail?: string; [key: string]: unknown }; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}
