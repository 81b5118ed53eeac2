// Structured JSON logs (pino) for operators; one logger, children per component.
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Credentials never reach the log, wherever a caller put them: a Discord interaction token is a 15-minute
 * credential for its webhook, and headers, tokens and secrets are credentials outright.
 */
const REDACTED = [
  'token',
  '*.token',
  '*.*.token',
  'interaction.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-clickhouse-key"]',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'signingSecret',
  '*.signingSecret',
  'botToken',
  '*.botToken',
  'appPassword',
  '*.appPassword',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: 'incident-cards' }, redact: { paths: REDACTED, censor: '[redacted]' } },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
