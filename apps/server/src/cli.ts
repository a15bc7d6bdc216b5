#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { createLogger } from './logger.js';
import { createServer } from './create-server.js';
import { helpText } from './options/help.js';
import { ConfigError, loadConfig } from './options/load-config.js';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${helpText(version)}\n`);
    return;
  }
  if (argv.includes('--version')) {
    process.stdout.write(`${version}\n`);
    return;
  }
  const config = loadConfig({ argv, env: process.env, cwd: process.cwd() });
  const logger = createLogger(config);
  const server = await createServer(config, { cwd: process.cwd(), logger });
  const banner = [
    `OpenParse ${version} is running at ${server.url}`,
    `  database: ${server.database}`,
    `  appId:    ${server.appId}`,
    server.generatedKeys
      ? `  masterKey: ${server.masterKey}   (generated; kept in .openparse/keys.json)`
      : '  masterKey: (as configured)',
    `  enabled:  REST classes, installations, batch, schemas, purge, health, serverInfo`,
  ];
  process.stdout.write(`${banner.join('\n')}\n`);
  logger.info({ url: server.url, database: server.database }, 'server started');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`openparse: ${error.message}\n`);
  } else {
    process.stderr.write(
      `openparse: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
