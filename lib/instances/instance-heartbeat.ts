/**
 * Writes this instance's heartbeat (identity + per-group subscriber state and counters) into the
 * dedup store every `intervalMs`, so every instance sharing the store can list the others
 * (issue 8). Beats never overlap; a failed beat is logged and the next one tries again.
 * `stop()` writes one last beat, so a gracefully stopped instance shows its final counters (and
 * its stopped subscribers, when they were stopped first) until it goes stale.
 */
import type { Logger } from 'pino';
import type { InstanceGroup, InstanceHeartbeat } from '../api/schemas';
import type { DedupStore } from '../dedup/dedup-store';

export interface InstanceIdentity {
  instanceId: string;
  host: string;
  pid: number;
  startedAt: Date;
  version: string;
}

export interface InstanceHeartbeatOptions {
  store: Pick<DedupStore, 'heartbeat'>;
  identity: InstanceIdentity;
  /** The groups this instance serves, read at every beat. */
  getGroups: () => InstanceGroup[];
  /** Default 5000 ms. */
  intervalMs?: number;
  logger: Logger;
}

export interface InstanceHeartbeater {
  /**
   * Beats now, then every interval. Start it once `getGroups` lists what this instance serves
   * (server/runtime.ts: after every subscriber started), or the first interval shows no groups.
   */
  start(): void;
  /** One beat now (waits for a running one first); rejects when the store write fails. */
  beat(): Promise<void>;
  /** Idempotent (same promise): stops the timer and writes a final beat (failure is logged). */
  stop(): Promise<void>;
}

/** @throws Error when intervalMs is not a positive integer or the instance id is empty. */
export function createInstanceHeartbeat(options: InstanceHeartbeatOptions): InstanceHeartbeater {
  const { store, identity, getGroups, logger } = options;
  const intervalMs = options.intervalMs ?? 5000;
  if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
    throw new Error(`createInstanceHeartbeat: intervalMs must be a positive integer (got ${intervalMs})`);
  }
  if (!identity.instanceId) throw new Error('createInstanceHeartbeat: instanceId must not be empty');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let started = false;
  let running: Promise<void> = Promise.resolve();
  let failing = false;
  let stopping: Promise<void> | undefined;

  const toBeat = (): InstanceHeartbeat => ({
    instanceId: identity.instanceId,
    host: identity.host,
    pid: identity.pid,
    startedAt: identity.startedAt.toISOString(),
    version: identity.version,
    intervalMs,
    groups: getGroups(),
  });

  function beat(): Promise<void> {
    const next = running.catch(() => undefined).then(() => store.heartbeat(toBeat()));
    running = next;
    return next;
  }

  function tick(): void {
    beat().then(
      () => {
        if (failing) logger.info('instance heartbeat written again');
        failing = false;
      },
      (error: unknown) => {
        // One warn line when beats start failing; other instances will see this one go stale.
        if (!failing) logger.warn({ err: error }, 'instance heartbeat failed; will retry');
        else logger.debug({ err: error }, 'instance heartbeat still failing');
        failing = true;
      },
    ).finally(() => {
      if (stopping) return;
      timer = setTimeout(tick, intervalMs);
      timer.unref();
    });
  }

  return {
    start() {
      if (started || stopping) return;
      started = true;
      tick();
    },
    beat,
    stop() {
      stopping ??= (async () => {
        clearTimeout(timer);
        timer = undefined;
        try {
          await beat();
        } catch (error) {
          logger.warn({ err: error }, 'final instance heartbeat failed');
        }
      })();
      return stopping;
    },
  };
}
