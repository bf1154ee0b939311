import type { RecordedEvent } from '../../log/recorded-event';

/** A history read the server cannot answer with events (server `ReadStreamResult` other than Success/NoStream). */
export class SourceReadError extends Error {
  override readonly name = 'SourceReadError';
}

export interface SourcePage {
  /** Matching events, in order. */
  readonly events: readonly RecordedEvent[];
  /** Cursor to continue from (after everything this page scanned, matching or not). */
  readonly next: number;
  /** True when the page reached the current end of the source. */
  readonly isEnd: boolean;
}

/**
 * What a group reads: one stream (cursor = stream revision) or `$all` (cursor = log position).
 * Checkpoints, "last known" and start positions are expressed as cursors and formatted here.
 */
export interface EventSource {
  /** Stream name, or `$all`. */
  readonly name: string;
  /** Whether a committed event is offered to the group live. */
  includes(event: RecordedEvent): boolean;
  cursorOf(event: RecordedEvent): number;
  /**
   * Up to `maxCount` scanned events starting at cursor `from` (inclusive).
   * @throws SourceReadError when the read fails (a hard-deleted stream): the group faults.
   */
  read(from: number, maxCount: number): SourcePage;
  /** The cursor right after the last event: where a live-only group starts. */
  endCursor(): number;
  /** `"41"` for a stream, `"C:x/P:y"` for `$all` (checkpoint data and GetInfo positions). */
  formatPosition(cursor: number): string;
  /** Inverse of `formatPosition`; undefined when malformed. */
  parsePosition(text: string): number | undefined;
}
