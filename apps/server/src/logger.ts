import type { Logger } from '@openparse/core';
import { pino } from 'pino';

const LEVELS: Readonly<Record<string, string>> = {
  error: 'error',
  warn: 'warn',
  info: 'info',
  verbose: 'debug',
  debug: 'debug',
  silly: 'trace',
};

/** A pino logger at parse-server's level names (`verbose` and `silly` map to debug and trace). */
export function createLogger(config: { logLevel?: unknown; verbose?: unknown; silent?: unknown }): Logger & {
  level: string;
} {
  const level = config.silent
    ? 'silent'
    : config.verbose
      ? 'debug'
      : (LEVELS[String(config.logLevel ?? 'info')] ?? 'info');
  return pino({ level, base: { service: 'openparse' } });
}
