/**
 * Every interval, holds client→server traffic (acks stay in the proxy) for about a second and then
 * cuts every connection: the server retries the unacked in-flight messages on the next
 * connection, so events the demo consumer already processed are redelivered — and suppressed.
 * `isFaultDrop()` tells the demo's subscriber which drops this schedule caused, so their epochs
 * end with a reason that names the demo fault instead of reading like a real outage.
 */
import type { Logger } from 'pino';

export interface FaultTarget {
  pause(direction: 'client-to-server' | 'server-to-client', ms?: number): void;
  resume(direction: 'client-to-server' | 'server-to-client'): void;
  cutAll(): void;
}

export interface FaultSchedule {
  start(): void;
  stop(): void;
  /** Injects one fault now (hold, then cut), as the interval does. */
  inject(): void;
  /**
   * True when a connection drop at `at` (ms since epoch) was caused by this schedule: it falls
   * between the start of an injected hold and `dropGraceMs` after its cut.
   */
  isFaultDrop(at: number): boolean;
}

export function createFaultSchedule(options: {
  proxy: FaultTarget;
  intervalMs: number;
  holdMs?: number;
  /** How long after a cut a drop is still attributed to it (the client notices a cut late). Default 5000 ms. */
  dropGraceMs?: number;
  logger: Logger;
  now?: () => number;
}): FaultSchedule {
  const { proxy, intervalMs, logger } = options;
  const holdMs = options.holdMs ?? 1000;
  const dropGraceMs = options.dropGraceMs ?? 5000;
  const now = options.now ?? Date.now;
  let interval: NodeJS.Timeout | undefined;
  let hold: NodeJS.Timeout | undefined;
  /** The latest injected fault: [start of the hold, end of the attribution window]; null before the first. */
  let window: { from: number; until: number } | null = null;

  function inject(): void {
    logger.info({ holdMs }, 'demo fault: holding acks, then cutting the subscriber connection');
    const from = now();
    window = { from, until: from + holdMs + dropGraceMs };
    proxy.pause('client-to-server');
    hold = setTimeout(() => {
      const cutAt = now();
      window = { from, until: cutAt + dropGraceMs };
      proxy.cutAll();
      proxy.resume('client-to-server');
    }, holdMs);
    hold.unref();
  }

  return {
    start() {
      if (interval) return;
      interval = setInterval(inject, intervalMs);
      interval.unref();
    },
    stop() {
      if (interval) clearInterval(interval);
      if (hold) clearTimeout(hold);
      interval = undefined;
      hold = undefined;
    },
    inject,
    isFaultDrop: (at) => window !== null && at >= window.from && at <= window.until,
  };
}
