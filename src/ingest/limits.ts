// Ingestion limits, after Sentry's own (relay's defaults) where one exists, so an SDK that fits Sentry fits here.
export const INGEST_LIMITS = {
  /** Compressed request body (relay: max_envelope_size 100 MiB is for attachments; events are far smaller). */
  maxBodyBytes: 20 * 1024 * 1024,
  /** After gzip/deflate/br: a zip bomb stops here, not in memory. */
  maxDecompressedBytes: 100 * 1024 * 1024,
  /** One event, transaction or span container (relay: max_event_size 1 MiB). */
  maxItemBytes: 1024 * 1024,
  /** Items per envelope (relay limits sessions to 100 per envelope; the rest are small). */
  maxItems: 1_000,
  /** Lines per NDJSON batch on /api/ingest/*. */
  maxBatchLines: 100_000,
  /** Rows waiting for commit across all requests; past it a request is refused with 429 (never unbounded memory). */
  maxQueuedRows: 200_000,
  /** What a 429 asks the client to wait. */
  retryAfterSeconds: 1,
} as const;
