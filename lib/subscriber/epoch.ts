/**
 * In-memory view of one epoch (one connection of one subscriber) and its counters. The durable
 * copy lives in the dedup store; the subscriber flushes counters periodically and on close.
 *
 * INVARIANT: `counters.duplicatesByCause` adds up to `counters.duplicatesSuppressed` — both are
 * only changed together, by {@link countDuplicate}.
 */
import type { EpochRecord } from '../api/schemas';
import { zeroCounters, type EpochCounters } from '../dedup/dedup-store';
import type { DuplicateCause } from './duplicate-cause';

export type EpochCounterName = 'received' | 'delivered' | 'retried' | 'parked' | 'skipped';

export interface EpochState {
  readonly epoch: number;
  readonly startedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  /** End reason of the connection before this one (null for the first one of the process). */
  readonly previousConnectionEnd: string | null;
  readonly counters: EpochCounters;
  /** True when counters changed since the last write to the store started. */
  dirty: boolean;
  /**
   * Tail of this epoch's store writes (update/close). Writes run one after another so a slower,
   * older write never lands after a newer one (see the subscriber's `writeEpoch`).
   */
  writes: Promise<void>;
}

export function createEpochState(epoch: number, startedAt: Date, previousConnectionEnd: string | null = null): EpochState {
  return { epoch, startedAt, endedAt: null, endReason: null, previousConnectionEnd, counters: zeroCounters(), dirty: false, writes: Promise.resolve() };
}

export function countEpoch(state: EpochState, name: EpochCounterName, by = 1): void {
  state.counters[name] += by;
  state.dirty = true;
}

export function countDuplicate(state: EpochState, cause: DuplicateCause): void {
  state.counters.duplicatesSuppressed += 1;
  state.counters.duplicatesByCause[cause] += 1;
  state.dirty = true;
}

export function setCheckpointGap(state: EpochState, gap: number | null): void {
  state.counters.checkpointGap = gap;
  state.dirty = true;
}

export function toEpoch(state: EpochState): EpochRecord {
  return {
    epoch: state.epoch,
    startedAt: state.startedAt.toISOString(),
    endedAt: state.endedAt ? state.endedAt.toISOString() : null,
    endReason: state.endReason,
    ...state.counters,
    duplicatesByCause: { ...state.counters.duplicatesByCause },
  };
}
