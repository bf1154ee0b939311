import type { GroupConnection } from '../group-connection';
import type { GroupMessage } from '../group-message';

/**
 * Picks the connection for the next message (server `IPersistentSubscriptionConsumerStrategy`).
 * Returns the connection, 'no-capacity' (stop pushing) or 'skipped' (leave this message buffered
 * and try the next one; Pinned only).
 */
export interface ConsumerStrategy {
  add(connection: GroupConnection): void;
  remove(connection: GroupConnection): void;
  select(message: GroupMessage): GroupConnection | 'no-capacity' | 'skipped';
}
