// The process logger (pino). One instance, created from config (in development one readable line per record,
// log-lines.ts; JSON otherwise); modules take a child logger. Errors are
// serialised through log-safety.ts (no duplicate-key values, numbers or tokens). Must never log secrets,
// passwords, session cookies, customer identifiers or message bodies.
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { safeErr } from './log-safety.js';
import { lineDestination } from './log-lines.js';

export type { Logger };

export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>,
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL ?? (config.NODE_ENV === 'test' ? 'silent' : 'info'),
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    base: { service: 'parley' },
    serializers: { err: safeErr },
  };
  // Development: one short readable line per record; production (and tests) keep JSON.
  const dest = destination ?? (config.NODE_ENV === 'development' ? lineDestination() : undefined);
  return dest ? pino(options, dest) : pino(options);
}
