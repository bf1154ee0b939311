import type { RecordedEvent } from '../log/recorded-event';

/**
 * What a group delivers: `event` alone, a resolved link (`link` + `event`), or an unresolved link
 * (`link` alone). At least one of the two is present.
 */
export interface ResolvedEvent {
  readonly event?: RecordedEvent;
  readonly link?: RecordedEvent;
}

/** `Link ?? Event`: the record in the subscribed stream, whose id acks and nacks carry (§3.4). */
export function originalOf(resolved: ResolvedEvent): RecordedEvent {
  const original = resolved.link ?? resolved.event;
  if (!original) throw new Error('A resolved event needs an event or a link.');
  return original;
}

/**
 * One message of a group, from buffering until it is acked, skipped or parked.
 * Invariants: `id` is `originalOf(resolved).id`; `sequence` is assigned on the first push and kept
 * by retries; replayed parked messages never get a sequence (they are excluded from checkpoints).
 */
export interface GroupMessage {
  readonly id: string;
  readonly resolved: ResolvedEvent;
  readonly retryCount: number;
  /**
   * Where the original record is in the group's source: stream revision, or log position for `$all`.
   * Meaningless for replayed parked messages, which never take part in checkpoints.
   */
  readonly cursor: number;
  /** Log position of the original record; orders the retry buffer and fills `commit_position`. */
  readonly position: number;
  readonly replayed: boolean;
  sequence?: number;
  /** Cursor of the message pushed just before this one (the checkpoint candidate while it is unacked). */
  previousCursor?: number;
}

export function toGroupMessage(resolved: ResolvedEvent, cursor: number, replayed = false): GroupMessage {
  const original = originalOf(resolved);
  return {
    id: original.id,
    resolved,
    retryCount: 0,
    cursor,
    position: original.position,
    replayed,
  };
}

/** A copy for redelivery: same identity and sequence, one more retry. */
export function toRetried(message: GroupMessage): GroupMessage {
  return { ...message, retryCount: message.retryCount + 1 };
}
