import type { Logger } from '@openparse/core';
import { pino } from 'pino';

/** parse-server's level names → pino's (`verbose` and `silly` have no pino equivalent). */
const LEVELS: Readonly<Record<string, string>> = {
  error: 'error',
  warn: 'warn',
  info: 'info',
  verbose: 'debug',
  debug: 'debug',
  silly: 'trace',
};

/**
 * A pino logger (JSON lines on stdout) honouring parse-server's `logLevel`; `silent` turns it
 * off and `verbose` lowers it to debug, as in parse-server.
 */
export function createLogger(config: {
  readonly logLevel?: string;
  readonly verbose?: boolean;
  readonly silent?: boolean;
}): Logger {
  const level = config.silent
    ? 'silent'
    : config.verbose
      ? 'debug'
      : (LEVELS[config.logLevel ?? 'info'] ?? 'info');
  return pino({ level, base: { pid: process.pid, name: 'openparse' } });
}
