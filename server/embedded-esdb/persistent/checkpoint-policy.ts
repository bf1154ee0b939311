import type { GroupSettings } from './settings';

export interface CheckpointCandidate {
  /** Sequence number of the last message the checkpoint covers. */
  readonly sequence: number;
  /** Source cursor to write (stream revision, or log position for `$all`). */
  readonly cursor: number;
}

export interface CheckpointState {
  readonly lastCheckpointedSequence: number;
  readonly lastCheckpointAt: number;
}

/**
 * Whether to write `candidate` now (server `TryMarkCheckpoint`, esdb-semantics §2.5).
 * On ack/nack only `maxCheckPointCount` uncheckpointed messages force a write; on the 1 s tick a
 * write is also due after `checkPointAfterMs` once `minCheckPointCount` have accumulated.
 * Deviation: nothing is written when the candidate does not move forward.
 */
export function isCheckpointDue(
  candidate: CheckpointCandidate,
  state: CheckpointState,
  settings: Pick<GroupSettings, 'checkPointAfterMs' | 'minCheckPointCount' | 'maxCheckPointCount'>,
  now: number,
  isTimeCheck: boolean,
): boolean {
  const difference = candidate.sequence - state.lastCheckpointedSequence;
  if (difference <= 0) return false;
  if (difference >= settings.maxCheckPointCount) return true;
  if (!isTimeCheck || settings.checkPointAfterMs <= 0) return false;
  return now - state.lastCheckpointAt >= settings.checkPointAfterMs && difference >= settings.minCheckPointCount;
}
