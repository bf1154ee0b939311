/**
 * The group's "behind checkpoint" gap read through GetInfo (esdb-semantics.md §5, §2.5): how many
 * events after the last checkpoint the group knows of — what a reload from the checkpoint (§2.6)
 * would redeliver. Read when a subscriber connection is confirmed and kept in its epoch.
 */
import type { EventStoreDBClient } from '@eventstore/db-client';

/**
 * Stream groups: `lastKnownEventRevision − lastCheckpointedEventRevision` (never negative).
 * Null when either is unknown (no checkpoint written yet: the gap depends on `startFrom`, which
 * the stats do not say) and for `$all` groups, whose positions are log bytes, not event counts.
 * Errors (group missing, server down) reject; the caller logs them and leaves the gap unknown.
 */
export function createCheckpointGapReader(
  client: EventStoreDBClient,
  stream: string,
  group: string,
): () => Promise<number | null> {
  return async () => {
    if (stream === '$all') return null;
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    return checkpointGap(info.stats.lastKnownEventRevision, info.stats.lastCheckpointedEventRevision);
  };
}

/** Pure part of the reader (unit-tested). */
export function checkpointGap(lastKnown: bigint | undefined, lastCheckpointed: bigint | undefined): number | null {
  if (lastKnown === undefined || lastCheckpointed === undefined) return null;
  const gap = lastKnown - lastCheckpointed;
  return gap > 0n ? Number(gap) : 0;
}
