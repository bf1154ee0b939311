/**
 * Pure rules of the replay action: what a "first N" replay asks the server for, when the
 * confirmation asks to type the group name, and how far a running replay has come.
 */

/** Replays that redeliver more than this many messages must be confirmed by typing the group name. */
export const TYPED_CONFIRMATION_ABOVE = 100;

export interface ReplayPlan {
  /** Absolute, exclusive parked event number the server stops at. */
  stopAt: number;
  /** Messages the server will redeliver: the number the dialog shows and the request asks for. */
  count: number;
  /** Every message parked when the plan was made ("Replay all"). */
  all: boolean;
}

/**
 * `stopAt` is an absolute parked event number, exclusive (esdb-semantics §3.3): the first N
 * visible messages end before `first + N`. N is clamped to what is parked. "Replay all" also
 * sends a `stopAt` (after the last message parked now), so messages parked between the
 * confirmation and the request are not replayed unseen: the dialog's count is what is asked for.
 */
export function toReplayPlan(window: { first: number | null; total: number }, firstN?: number): ReplayPlan {
  const first = window.first ?? 0;
  if (firstN === undefined || firstN >= window.total) return { stopAt: first + window.total, count: window.total, all: true };
  const count = Math.max(0, Math.floor(firstN));
  return { stopAt: first + count, count, all: false };
}

export function needsTypedConfirmation(count: number): boolean {
  return count > TYPED_CONFIRMATION_ABOVE;
}

export type ReplayProgress =
  | { state: 'running'; replayed: number }
  | { state: 'done'; replayed: number }
  /** Nothing changed within the grace period: the server may have ignored it (group not ready, replay already running). */
  | { state: 'no-effect'; replayed: 0 };

/**
 * Progress from the visible window: the server hides what it replayed by raising `$tb`, so the
 * oldest visible parked event number moves up by the number replayed (new parks only add at the end).
 */
export function toReplayProgress(input: {
  requested: number;
  firstBefore: number | null;
  firstNow: number | null;
  totalNow: number;
  elapsedMs: number;
  graceMs: number;
}): ReplayProgress {
  const { requested, firstBefore, firstNow, totalNow } = input;
  let replayed: number;
  if (firstBefore === null) replayed = 0;
  else if (totalNow === 0 || firstNow === null) replayed = requested;
  else replayed = Math.min(requested, Math.max(0, firstNow - firstBefore));
  if (replayed >= requested) return { state: 'done', replayed: requested };
  if (replayed === 0 && input.elapsedMs >= input.graceMs) return { state: 'no-effect', replayed: 0 };
  return { state: 'running', replayed };
}
