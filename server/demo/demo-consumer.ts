/**
 * The demo's downstream service: an in-process sink that records every delivery per event id,
 * with a little latency like a real handler. `duplicates` must stay 0 — that is the product's promise.
 */
import type { DemoConsumerStats } from '../../lib/api/schemas';

export interface DemoConsumer {
  handle(eventId: string): Promise<void>;
  stats(): DemoConsumerStats;
}

export function createDemoConsumer(options: { latencyMs?: [min: number, max: number] } = {}): DemoConsumer {
  const [min, max] = options.latencyMs ?? [2, 25];
  const seen = new Map<string, number>();
  let received = 0;
  return {
    async handle(eventId) {
      await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
      received += 1;
      seen.set(eventId, (seen.get(eventId) ?? 0) + 1);
    },
    stats: () => ({ received, unique: seen.size, duplicates: received - seen.size }),
  };
}
