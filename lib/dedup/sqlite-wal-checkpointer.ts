/**
 * WAL checkpoints off the event loop. SQLite checkpoints inside the commit that crosses
 * `wal_autocheckpoint` pages, on the committing connection: with better-sqlite3 that is the main
 * thread, which then copies pages into the database file and waits for two fsyncs while no
 * subscription event is read. Here a worker thread with its own connection runs a PASSIVE
 * checkpoint (never blocks the writer) every `intervalMs`; the main connection keeps a much higher
 * auto-checkpoint threshold only as a backstop, so the WAL stays bounded even if the worker stops.
 *
 * The worker is plain JavaScript (it needs only better-sqlite3), so it starts in milliseconds and
 * under any loader.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointer {
  /** Stops the worker and closes its connection. Idempotent. */
  stop(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // Retried at the next interval; the writer's auto-checkpoint backstop bounds the WAL meanwhile.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startWalCheckpointer(path: string, intervalMs = 250): WalCheckpointer {
  const sqliteModule = createRequire(__filename).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: sqliteModule, path, intervalMs } });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // An error ends the worker (exit follows); the backstop keeps checkpointing on the writer.
  worker.on('error', () => undefined);
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        if (worker.threadId !== -1) {
          // Held while stopping: an unref'd worker's exit would not keep the process alive.
          worker.ref();
          worker.postMessage('stop');
        }
        await exited;
      })();
      return stopping;
    },
  };
}
