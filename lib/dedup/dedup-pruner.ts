/**
 * Background retention for done dedup keys (DESIGN.md §6: `dedup.retention`, default 7 days).
 * Runs `store.prune(now − retention)` every `intervalMs`; never overlaps two runs.
 */
import type { Logger } from 'pino';
import type { DedupStore } from './dedup-store';

export interface DedupPrunerOptions {
  store: DedupStore;
  /** Done keys older than this are deleted. */
  retentionMs: number;
  /** Default 10 minutes. */
  intervalMs?: number;
  logger: Logger;
  now?: () => Date;
}

export interface DedupPruner {
  start(): void;
  /** One pass now; resolves with the number of keys removed. */
  runOnce(): Promise<number>;
  /** Idempotent (same promise); waits for a running pass. */
  stop(): Promise<void>;
}

/** @throws Error when retentionMs or intervalMs is not positive. */
export function createDedupPruner(options: DedupPrunerOptions): DedupPruner {
  const { store, retentionMs, logger } = options;
  const intervalMs = options.intervalMs ?? 10 * 60_000;
  const now = options.now ?? (() => new Date());
  if (!(retentionMs > 0) || !(intervalMs > 0)) {
    throw new Error(`createDedupPruner: retentionMs and intervalMs must be > 0 (got ${retentionMs}, ${intervalMs})`);
  }
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<number> | undefined;
  let stopping: Promise<void> | undefined;

  function runOnce(): Promise<number> {
    running ??= (async () => {
      const cutoff = new Date(now().getTime() - retentionMs);
      try {
        const removed = await store.prune(cutoff);
        if (removed > 0) logger.info({ removed, cutoff: cutoff.toISOString() }, 'pruned done dedup keys');
        return removed;
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  return {
    start() {
      if (timer || stopping) return;
      timer = setInterval(() => {
        runOnce().catch((error: unknown) => {
          // Retried on the next interval; keys only accumulate meanwhile.
          logger.warn({ err: error }, 'pruning dedup keys failed; will retry');
        });
      }, intervalMs);
      timer.unref();
    },
    runOnce,
    stop() {
      stopping ??= (async () => {
        if (timer) clearInterval(timer);
        timer = undefined;
        await running?.catch(() => 0); // its failure was already logged by the interval handler
      })();
      return stopping;
    },
  };
}
