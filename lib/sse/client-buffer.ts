import type { SseFrame } from './encode-event';

export interface ClientBufferOptions {
  /**
   * Event names where only the newest pending frame matters (e.g. `snapshot`: each one is the
   * full state). A new frame replaces the pending one instead of queueing behind it.
   */
  latestOnly: readonly string[];
  /** Upper bound for other pending frames; the oldest are dropped beyond it. */
  maxQueued: number;
}

export interface ClientBuffer {
  push(frame: SseFrame): void;
  /** Removes and returns the pending frames in push order. */
  drain(): SseFrame[];
  readonly size: number;
  /** Frames dropped because the client did not keep up (for logs/metrics). */
  readonly dropped: number;
}

function coalesceKey(frame: SseFrame, latestOnly: ReadonlySet<string>): string | null {
  if (frame.kind === 'comment') return ':comment';
  return latestOnly.has(frame.event) ? frame.event : null;
}

/**
 * Bounded per-client queue. Invariant: at most one pending frame per `latestOnly` event name
 * (plus one pending comment) and at most `maxQueued` other frames, so a slow client costs
 * O(maxQueued) memory and, when it catches up, sees the latest snapshot — never a backlog.
 */
export function createClientBuffer(options: ClientBufferOptions): ClientBuffer {
  if (!Number.isInteger(options.maxQueued) || options.maxQueued < 1) {
    throw new Error(`maxQueued must be a positive integer, got ${options.maxQueued}`);
  }
  const latestOnly = new Set(options.latestOnly);
  let pending: SseFrame[] = [];
  let dropped = 0;

  return {
    push(frame) {
      const key = coalesceKey(frame, latestOnly);
      if (key !== null) {
        const before = pending.length;
        pending = pending.filter((f) => coalesceKey(f, latestOnly) !== key);
        dropped += before - pending.length;
      } else {
        const queued = pending.filter((f) => coalesceKey(f, latestOnly) === null).length;
        if (queued >= options.maxQueued) {
          const oldest = pending.findIndex((f) => coalesceKey(f, latestOnly) === null);
          pending.splice(oldest, 1);
          dropped += 1;
        }
      }
      pending.push(frame);
    },
    drain() {
      const out = pending;
      pending = [];
      return out;
    },
    get size() {
      return pending.length;
    },
    get dropped() {
      return dropped;
    },
  };
}
