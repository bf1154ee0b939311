/** EventStoreDB helpers for the scenarios: small events, prefilling, groups, bare-client consumers. */
import { randomUUID } from 'node:crypto';
import {
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type EventStoreDBClient,
  type PersistentSubscriptionToStreamResolvedEvent,
} from '@eventstore/db-client';

/** A small JSON event (~60 bytes of data), like §11's "small JSON events". */
export function smallEvent(n: number) {
  return jsonEvent({ id: randomUUID(), type: 'BenchEvent', data: { n, at: 'bench' } });
}

/** Appends `count` small events in batches of `batchSize` (sequential appends). */
export async function prefill(client: EventStoreDBClient, stream: string, count: number, batchSize = 100): Promise<void> {
  for (let offset = 0; offset < count; offset += batchSize) {
    const size = Math.min(batchSize, count - offset);
    await client.appendToStream(
      stream,
      Array.from({ length: size }, (_, i) => smallEvent(offset + i)),
    );
  }
}

/** A group on `stream` from the start; maxRetryCount high so a slow run never parks. */
export async function createGroup(client: EventStoreDBClient, stream: string, group: string): Promise<void> {
  await client.createPersistentSubscriptionToStream(
    stream,
    group,
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, maxRetryCount: 100 }),
  );
}

export type AckMode = 'per-event' | 'batched';

/**
 * The bare official client on a group: acks each event as it arrives (`per-event`), or collects
 * the events of one tick and acks them in one message (`batched`, like a careful hand-written
 * consumer). Resolves with the elapsed ms from subscribing until `count` events were acked.
 */
export async function consumeBare(
  client: EventStoreDBClient,
  stream: string,
  group: string,
  count: number,
  mode: AckMode,
  bufferSize: number,
): Promise<number> {
  const started = performance.now();
  const sub = client.subscribeToPersistentSubscriptionToStream(stream, group, { bufferSize });
  try {
    await new Promise<void>((resolve, reject) => {
      let acked = 0;
      let pending: PersistentSubscriptionToStreamResolvedEvent[] = [];
      const done = (n: number) => {
        acked += n;
        if (acked >= count) resolve();
      };
      const flush = () => {
        const batch = pending;
        pending = [];
        sub.ack(...batch).then(() => done(batch.length), reject);
      };
      sub.on('error', reject);
      sub.on('data', (event: PersistentSubscriptionToStreamResolvedEvent) => {
        if (mode === 'per-event') {
          sub.ack(event).then(() => done(1), reject);
          return;
        }
        pending.push(event);
        if (pending.length === 1) setImmediate(flush);
      });
    });
    return performance.now() - started;
  } finally {
    await sub.unsubscribe();
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
