import { randomUUID } from 'node:crypto';
import { EventLog } from '../log/event-log';
import type { RecordedEvent } from '../log/recorded-event';
import type { PersistentSubscriptionError } from '../persistent/errors';
import type { Delivery, GroupConnection } from '../persistent/group-connection';
import { StreamSource } from '../persistent/event-source/stream-source';
import { DEFAULT_GROUP_SETTINGS, type GroupSettings } from '../persistent/settings';
import { SubscriptionGroup } from '../persistent/subscription-group';
import { FakeClock } from './fake-clock';

export interface RecordingConnection {
  readonly connection: GroupConnection;
  readonly deliveries: Delivery[];
  readonly drops: PersistentSubscriptionError[];
  /** Revisions of the delivered events, with their retry counts: `"<revision>/<retryCount>"`. */
  readonly summary: () => string[];
}

/** A group on a fresh stream in a fresh log, driven by a fake clock (no gRPC, no timers). */
export function createGroupHarness(settings: Partial<GroupSettings> = {}) {
  const clock = new FakeClock();
  const log = new EventLog(clock);
  const stream = `s-${randomUUID()}`;
  const group = new SubscriptionGroup({
    log,
    clock,
    source: new StreamSource(log, stream),
    group: 'g',
    settings: { ...DEFAULT_GROUP_SETTINGS, startFrom: 0, ...settings },
  });
  log.onAppended((events) => {
    for (const event of events) if (event.streamId === stream) group.onEventAppended(event);
  });

  const append = (count: number, type = 'test-event'): RecordedEvent[] => {
    const before = log.lastRevision(stream);
    log.append(
      stream,
      'any',
      Array.from({ length: count }, () => ({ id: randomUUID(), type, isJson: true, data: Buffer.from('{}'), metadata: new Uint8Array() })),
    );
    return log.readStream(stream, { from: before + 1, direction: 'forwards', maxCount: count });
  };

  const connect = (bufferSize = 10, connectionName = 'c'): RecordingConnection => {
    const deliveries: Delivery[] = [];
    const drops: PersistentSubscriptionError[] = [];
    const connection = group.connect(
      { connectionName, username: 'anonymous', bufferSize },
      { deliver: (delivery) => deliveries.push(delivery), drop: (error) => drops.push(error) },
    );
    const summary = () => deliveries.map((d) => `${(d.resolved.link ?? d.resolved.event)!.revision}/${d.retryCount}`);
    return { connection, deliveries, drops, summary };
  };

  /** Ids to ack: the original (link ?? event) id, as the client sends. */
  const idsOf = (deliveries: readonly Delivery[]) => deliveries.map((d) => (d.resolved.link ?? d.resolved.event)!.id);

  return { clock, log, stream, group, append, connect, idsOf };
}
