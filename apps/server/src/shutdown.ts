import type { Logger } from '@openparse/core';

/**
 * Runs `stop` on the first SIGTERM or SIGINT and exits 0 when it resolves (1 when it fails);
 * a second signal exits 1 at once. Returns the same trigger for other causes (the cluster
 * primary asking a worker to stop); those never count as the second signal.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>): (reason: string) => void {
  let stopping = false;
  const begin = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down: finishing in-flight requests');
    stop().then(
      () => {
        logger.info({}, 'shut down');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const signal = (name: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal: name }, 'second signal: exiting now');
      process.exit(1);
    }
    begin(name);
  };
  process.on('SIGTERM', signal);
  process.on('SIGINT', signal);
  return begin;
}
