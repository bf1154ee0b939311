import type { GroupConnection } from '../group-connection';
import { type GroupMessage, originalOf } from '../group-message';
import { parseLinkData } from '../../log/recorded-event';
import type { ConsumerStrategy } from './consumer-strategy';

const BUCKET_COUNT = 1024;

/**
 * Messages of one source stream stick to one connection while the set of connections is stable.
 * Deviation: buckets are hashed with FNV-1a instead of the server's xxHash, so the exact
 * stream-to-connection assignment differs from a real node (the stickiness does not).
 */
export class PinnedStrategy implements ConsumerStrategy {
  private connections: GroupConnection[] = [];

  add(connection: GroupConnection): void {
    this.connections.push(connection);
  }

  remove(connection: GroupConnection): void {
    this.connections = this.connections.filter((c) => c !== connection);
  }

  select(message: GroupMessage): GroupConnection | 'no-capacity' | 'skipped' {
    if (this.connections.length === 0) return 'no-capacity';
    if (this.connections.every((c) => c.availableSlots === 0)) return 'no-capacity';
    const bucket = fnv1a(sourceStreamOf(message)) % BUCKET_COUNT;
    const assigned = this.connections[bucket % this.connections.length]!;
    return assigned.availableSlots > 0 ? assigned : 'skipped';
  }
}

/** `(Event ?? Link).EventStreamId`, parsed from the link data for an unresolved `$>`. */
function sourceStreamOf(message: GroupMessage): string {
  const { event, link } = message.resolved;
  if (event) return event.streamId;
  const original = originalOf(message.resolved);
  return (link && parseLinkData(link.data)?.streamId) ?? original.streamId;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
