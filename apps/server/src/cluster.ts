import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from '@openparse/core';
import type { BannerServer } from './banner.js';
import type { ServerConfig } from './options/definitions.js';
import { onShutdown } from './shutdown.js';
import { selectStorage } from './storage.js';

/** Messages between the cluster primary and its workers. */
export type ClusterMessage =
  | { readonly type: 'ready'; readonly server: BannerServer }
  | { readonly type: 'stop' };

function isReady(message: unknown): message is Extract<ClusterMessage, { type: 'ready' }> {
  return typeof message === 'object' && message !== null && (message as ClusterMessage).type === 'ready';
}

/** How many workers `cluster` asks for: `true` → one per CPU. */
export function workerCount(config: ServerConfig): number {
  return config.cluster === true ? availableParallelism() : Number(config.cluster || 1);
}

/**
 * The cluster primary (parse-server's `cluster` option): forks the workers, which share the
 * port; calls `onReady` once all of them serve; restarts a worker that dies after it was ready
 * (as parse-server does) and gives up when one dies before, since it would die again. On
 * SIGTERM/SIGINT it asks every worker to stop gracefully and exits when they have.
 *
 * Before forking it connects to the database once, so a fresh database's system tables are
 * created by one process rather than raced by every worker, and an unreachable database fails
 * once, before any worker starts.
 */
export async function runPrimary(
  config: ServerConfig,
  cwd: string,
  logger: Logger,
  onReady: (server: BannerServer, workers: number) => void,
): Promise<void> {
  const { storage } = selectStorage(config.databaseURI, cwd);
  await storage.connect();
  await storage.close();
  const count = workerCount(config);
  const ready = new Set<Worker>();
  let stopping = false;
  let announced = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (!isReady(message)) return;
      ready.add(worker);
      if (!announced && ready.size === count) {
        announced = true;
        onReady(message.server, count);
      }
    });
    worker.on('exit', (code, signal) => {
      const wasReady = ready.delete(worker);
      if (stopping) return;
      logger.error({ worker: worker.process.pid, code, signal }, 'worker died');
      if (!wasReady) {
        stopping = true;
        for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM');
        process.exitCode = 1;
        return;
      }
      fork();
    });
  };
  for (let i = 0; i < count; i++) fork();
  onShutdown(logger, async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    const exited = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    const stop: ClusterMessage = { type: 'stop' };
    for (const worker of workers) if (worker.isConnected()) worker.send(stop);
    await Promise.all(exited);
  });
}
