/**
 * Durable dedup store: which dedup keys are done, which are being processed, and the epoch
 * history of each subscriber (DESIGN.md §6), and the heartbeats of the subwatch instances sharing
 * it (issue 8). Backends: SQLite, Redis, PostgreSQL, memory; every backend must pass
 * `runDedupStoreContract` (dedup-store.contract.ts).
 *
 * Scope = `"<stream>::<group>"` (the server's subscription key). Keys are independent per scope.
 */
import type { DuplicatesByCause, Epoch, EpochRecord, Instance, InstanceHeartbeat } from '../api/schemas';

/** Result of {@link DedupStore.claim}. Expected outcomes are values, never throws. */
export type ClaimResult =
  /** The caller now owns the key: process it, then `complete` or `release`. */
  | { status: 'new' }
  /** The key is durably done: do not process it again. */
  | { status: 'duplicate' }
  /**
   * Someone holds a live claim. `owner: 'self'` = this store instance (same process session);
   * `owner: 'other'` = another instance whose lease ends in `retryAfterMs`.
   */
  | { status: 'in-progress'; owner: 'self' | 'other'; retryAfterMs: number };

/**
 * The mutable part of an epoch record: counters (non-negative integers; `duplicatesByCause` adds
 * up to `duplicatesSuppressed`) and the checkpoint gap read when the connection was confirmed.
 */
export type EpochCounters = Pick<
  Epoch,
  'received' | 'delivered' | 'duplicatesSuppressed' | 'retried' | 'parked' | 'skipped'
> & { duplicatesByCause: DuplicatesByCause; checkpointGap: number | null };

/** Fresh zeroed counters (a new nested object each call: callers mutate them). */
export function zeroCounters(): EpochCounters {
  return {
    received: 0,
    delivered: 0,
    duplicatesSuppressed: 0,
    retried: 0,
    parked: 0,
    skipped: 0,
    duplicatesByCause: { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 },
    checkpointGap: null,
  };
}

/** Copy safe to hand to a store while the original keeps counting. */
export function copyCounters(counters: EpochCounters): EpochCounters {
  return { ...counters, duplicatesByCause: { ...counters.duplicatesByCause } };
}

/** An instance that missed three beats in a row is shown as stale. */
export function staleAfterMs(intervalMs: number): number {
  return 3 * intervalMs;
}

/** An instance silent for twelve intervals (one minute at the default 5 s) is gone: stores drop it. */
export function goneAfterMs(intervalMs: number): number {
  return 12 * intervalMs;
}

/**
 * The listed form of a stored heartbeat seen at `lastSeenMs`, judged at `nowMs`; null once it is
 * gone. Every backend maps its rows through this, so they agree on the thresholds.
 */
export function toInstance(beat: InstanceHeartbeat, lastSeenMs: number, nowMs: number): Instance | null {
  const silentMs = nowMs - lastSeenMs;
  if (silentMs >= goneAfterMs(beat.intervalMs)) return null;
  return {
    ...beat,
    groups: beat.groups.map((g) => ({ ...g })),
    lastSeen: new Date(lastSeenMs).toISOString(),
    state: silentMs > staleAfterMs(beat.intervalMs) ? 'stale' : 'live',
  };
}

/** Instances sorted by id (a stable order for the API and the dashboard). */
export function sortInstances(instances: Instance[]): Instance[] {
  return instances.sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
}

/**
 * Every backend, when it opens, frees the in-progress claims its instance id left from earlier
 * sessions: two processes never run with one instance id at once, so those belong to a process
 * that died (a crash between claim and complete). Other instances can claim those keys at once
 * instead of waiting for the lease.
 */
export interface DedupStore {
  /**
   * Atomically claims `key` in `scope`.
   * - `new`: no record, a released record, or a claim whose owner is gone (a claim left by an
   *   earlier session of the same instance, or another instance's expired lease).
   * - `duplicate`: `complete` was called for the key (and it was not pruned).
   * - `in-progress`: a live claim exists.
   */
  claim(scope: string, key: string): Promise<ClaimResult>;
  /**
   * Marks the key durably done. When the promise resolves, the record survives a crash.
   * Idempotent. Completing a key this instance did not claim is allowed (it is recorded done).
   */
  complete(scope: string, key: string): Promise<void>;
  /** Drops this instance's claim (the sink failed): the key is claimable again. No-op if done. */
  release(scope: string, key: string): Promise<void>;

  /**
   * Opens a new epoch record and returns its number: 1 for the first epoch of a scope, then
   * strictly increasing per scope, across store reopen and process restarts.
   */
  openEpoch(scope: string, startedAt: Date): Promise<number>;
  /** Overwrites the counters of an epoch (open or already closed: late outcomes still count). */
  updateEpoch(scope: string, epoch: number, counters: EpochCounters): Promise<void>;
  /** Sets endedAt/endReason and the final counters. */
  closeEpoch(scope: string, epoch: number, endedAt: Date, endReason: string, counters: EpochCounters): Promise<void>;
  /** Newest first, at most `limit` records. */
  listEpochs(scope: string, limit: number): Promise<EpochRecord[]>;

  /**
   * Records `beat` as the latest heartbeat of `beat.instanceId` (replacing the previous one), seen
   * now by this store's clock. Instances share the store, so every instance sees all of them.
   */
  heartbeat(beat: InstanceHeartbeat): Promise<void>;
  /**
   * Every instance whose last heartbeat is not gone yet ({@link goneAfterMs}), sorted by id, with
   * `state` live or stale ({@link staleAfterMs}) judged by this store's clock. Gone records are
   * dropped from the store (Redis also expires them by itself).
   */
  listInstances(): Promise<Instance[]>;

  /** Deletes done keys completed before `olderThan`; returns how many were removed. */
  prune(olderThan: Date): Promise<number>;
  /**
   * Health check for readiness probes: resolves when the backend answers (SQLite open, Redis
   * PING, PostgreSQL `SELECT 1`), rejects with the reason otherwise, and always after `close()`.
   * Optional: a store without it counts as healthy while open. Callers bound it with a timeout
   * (see {@link checkDedupStore}); a backend that is down may not answer at all.
   */
  ping?(): Promise<void>;
  /** Idempotent; returns the same promise when called twice. */
  close(): Promise<void>;
}

/**
 * Readiness check of a store: `null` when it answered `ping()` within `timeoutMs` (or has no
 * ping), else the reason. Never throws.
 */
export async function checkDedupStore(store: DedupStore, timeoutMs: number): Promise<string | null> {
  if (!store.ping) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      store.ping().then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
