import type { ExpectedRevision } from './expected-revision';
import type { RecordedEvent } from './recorded-event';

/**
 * The committed records a re-sent append batch is identical to, or undefined (server
 * `IndexWriter.CheckCommit`, esdb-semantics §4.7): the ids must match consecutive events starting
 * where the expected revision says the batch went (any/stream_exists: where its first id is).
 */
export function findIdempotentMatch(
  events: readonly RecordedEvent[],
  /** Revision of `events[0]` (events before it were compacted away and cannot match). */
  base: number,
  idToRevision: ReadonlyMap<string, number>,
  expected: ExpectedRevision,
  ids: readonly string[],
): RecordedEvent[] | undefined {
  if (ids.length === 0) return undefined;
  let start: number | undefined;
  if (expected === 'any' || expected === 'stream_exists') start = idToRevision.get(ids[0]!);
  else if (expected === 'no_stream') start = 0;
  else start = expected + 1;
  if (start === undefined || start < base || start - base + ids.length > events.length) return undefined;
  const matched = events.slice(start - base, start - base + ids.length);
  return matched.every((event, i) => event.id === ids[i]) ? matched : undefined;
}
