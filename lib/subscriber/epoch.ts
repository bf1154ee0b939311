/**
 * In-memory view of one epoch (one connection of one subscriber) and its counters. The durable
 * copy lives in the dedup store; the subscriber flushes counters periodically and on close.
 */
import type { Epoch } from '../api/schemas';
import { ZERO_COUNTERS, type EpochCounters } from '../dedup/dedup-store';

export type EpochCounterName = keyof EpochCounters;

export interface EpochState {
  readonly epoch: number;
  readonly startedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  readonly counters: EpochCounters;
  /** True when counters changed since the last write to the store. */
  dirty: boolean;
}

export function createEpochState(epoch: number, startedAt: Date): EpochState {
  return { epoch, startedAt, endedAt: null, endReason: null, counters: { ...ZERO_COUNTERS }, dirty: false };
}

export function countEpoch(state: EpochState, name: EpochCounterName, by = 1): void {
  state.counters[name] += by;
  state.dirty = true;
}

export function toEpoch(state: EpochState): Epoch {
  return {
    epoch: state.epoch,
    startedAt: state.startedAt.toISOString(),
    endedAt: state.endedAt ? state.endedAt.toISOString() : null,
    endReason: state.endReason,
    ...state.counters,
  };
}
