// Structured JSON logs (pino) for operators; one logger, children per component.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'incident-cards' } }, pino.destination({ fd: 2, sync: false }));
}
