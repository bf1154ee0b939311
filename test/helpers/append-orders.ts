/** Test data: numbered `OrderPlaced` events appended in batches. */
import { randomUUID } from 'node:crypto';
import { jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';

/** Appends `count` events `{n}` (0…count−1) to `stream`, `batchSize` per append; returns their ids in order. */
export async function appendOrders(
  client: EventStoreDBClient,
  stream: string,
  count: number,
  batchSize = 100,
): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, count - offset) }, (_, i) => {
      const id = randomUUID();
      ids.push(id);
      return jsonEvent({ id, type: 'OrderPlaced', data: { n: offset + i } });
    });
    await client.appendToStream(stream, batch);
  }
  return ids;
}
