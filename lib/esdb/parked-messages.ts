/**
 * Reads and replays a persistent subscription's parked messages through the official client
 * (esdb-semantics.md §3.2, §3.3). Framework-free: the client comes in as an argument.
 *
 * The parked stream is `$persistentsubscription-<stream>::<group>-parked`; a replay hides what it
 * redelivered by raising that stream's `$tb` (truncate-before), so the visible window is
 * `[$tb, last]` and the parked count is `last − $tb + 1`.
 */
import { BACKWARDS, END, FORWARDS, type EventStoreDBClient } from '@eventstore/db-client';
import type { ParkedResponse, ReplayResponse } from '../api/schemas';
import { toParkedMessage } from './to-parked-message';

export function parkedStreamOf(stream: string, group: string): string {
  return `$persistentsubscription-${stream}::${group}-parked`;
}

/** Visible window of a parked stream: `first` = $tb (or 0), `end` = last event number (−1 when none). */
export interface ParkedWindow {
  first: number;
  end: number;
  total: number;
}

function isStreamNotFound(error: unknown): boolean {
  return (error as { type?: string }).type === 'stream-not-found';
}

/** Reads `$tb` and the last event number; a parked stream that was never written is an empty window. */
export async function readParkedWindow(client: EventStoreDBClient, stream: string, group: string): Promise<ParkedWindow> {
  const name = parkedStreamOf(stream, group);
  const [metadata, end] = await Promise.all([client.getStreamMetadata(name), readLastEventNumber(client, name)]);
  const tb = Number(metadata.metadata?.truncateBefore ?? 0);
  const first = Number.isFinite(tb) && tb > 0 ? tb : 0;
  return { first, end, total: end >= first ? end - first + 1 : 0 };
}

async function readLastEventNumber(client: EventStoreDBClient, name: string): Promise<number> {
  try {
    let last = -1;
    // Why no early return: leaving a read before its end keeps the gRPC call open, and dispose() then waits for it.
    for await (const entry of client.readStream(name, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
      const record = entry.link ?? entry.event;
      if (record) last = Number(record.revision);
    }
    return last;
  } catch (error) {
    if (isStreamNotFound(error)) return -1;
    throw error;
  }
}

/**
 * One page, oldest first: up to `limit` visible parked messages from the absolute event number
 * `from` (clamped to `$tb`; default the oldest visible). Entries before `$tb` are never returned.
 */
export async function listParkedMessages(
  client: EventStoreDBClient,
  input: { stream: string; group: string; limit: number; from?: number },
): Promise<ParkedResponse> {
  const window = await readParkedWindow(client, input.stream, input.group);
  const start = Math.max(input.from ?? window.first, window.first);
  if (window.total === 0 || start > window.end) {
    return { total: window.total, first: window.total === 0 ? null : window.first, next: null, parked: [] };
  }
  const parked: ParkedResponse['parked'] = [];
  try {
    const entries = client.readStream(parkedStreamOf(input.stream, input.group), {
      fromRevision: BigInt(start),
      direction: FORWARDS,
      maxCount: input.limit,
      resolveLinkTos: true,
    });
    for await (const entry of entries) {
      const message = toParkedMessage(entry);
      if (message && message.parkedEventNumber >= window.first) parked.push(message);
    }
  } catch (error) {
    // Why: the window was read a moment ago; a stream deleted since then simply has nothing to list.
    if (!isStreamNotFound(error)) throw error;
  }
  const last = parked.at(-1)?.parkedEventNumber;
  return {
    total: window.total,
    first: window.first,
    next: last !== undefined && last < window.end ? last + 1 : null,
    parked,
  };
}

/**
 * How many parked messages a replay with `stopAt` (absolute, exclusive; undefined = all) covers:
 * those in `[first, min(stopAt, end + 1))` — the server's `stopRead` (esdb-semantics §3.3).
 */
export function toReplayCount(window: ParkedWindow, stopAt: number | undefined): number {
  const stopRead = stopAt === undefined ? window.end + 1 : Math.min(stopAt, window.end + 1);
  return Math.max(0, stopRead - window.first);
}

/**
 * Asks the server to replay. It answers at once and replays asynchronously, so `requested` is
 * what the visible window says will be redelivered, not a confirmation.
 * @throws the client's error (e.g. `persistent-subscription-does-not-exist`) unchanged.
 */
export async function replayParkedMessages(
  client: EventStoreDBClient,
  input: { stream: string; group: string; stopAt?: number },
): Promise<ReplayResponse> {
  const window = await readParkedWindow(client, input.stream, input.group);
  const requested = toReplayCount(window, input.stopAt);
  // Why: with a stopAt at or below `$tb` the server's "stop when event number == stopAt" never
  // matches (esdb-semantics §3.3), so asking it could replay everything instead of nothing.
  if (input.stopAt !== undefined && requested === 0) return { requested: 0, parkedBefore: window.total };
  const options = input.stopAt === undefined ? {} : { stopAt: input.stopAt };
  if (input.stream === '$all') await client.replayParkedMessagesToAll(input.group, options);
  else await client.replayParkedMessagesToStream(input.stream, input.group, options);
  return { requested, parkedBefore: window.total };
}
