/**
 * Every interval, holds client→server traffic (acks stay in the proxy) for about a second and then
 * cuts every connection: the server retries the unacked in-flight messages on the next
 * connection, so events the demo consumer already processed are redelivered — and suppressed.
 */
import type { Logger } from 'pino';

export interface FaultTarget {
  pause(direction: 'client-to-server' | 'server-to-client', ms?: number): void;
  resume(direction: 'client-to-server' | 'server-to-client'): void;
  cutAll(): void;
}

export function createFaultSchedule(options: {
  proxy: FaultTarget;
  intervalMs: number;
  holdMs?: number;
  logger: Logger;
}): { start(): void; stop(): void } {
  const { proxy, intervalMs, logger } = options;
  const holdMs = options.holdMs ?? 1000;
  let interval: NodeJS.Timeout | undefined;
  let hold: NodeJS.Timeout | undefined;

  function inject(): void {
    logger.info({ holdMs }, 'demo fault: holding acks, then cutting the subscriber connection');
    proxy.pause('client-to-server');
    hold = setTimeout(() => {
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
  };
}
