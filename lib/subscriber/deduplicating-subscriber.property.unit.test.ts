import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createFakePersistentSubscription } from '../../test/fakes/fake-persistent-subscription';
import { waitFor } from '../../test/helpers/wait-for';
import type { DedupStore } from '../dedup/dedup-store';
import { createMemoryDedupData, createMemoryDedupStore } from '../dedup/memory-dedup-store';
import type { PersistentSubscriptionSource } from '../esdb/persistent-subscription-source';
import { createDeduplicatingSubscriber } from './deduplicating-subscriber';
import type { SinkResult } from './sink';

const logger = pino({ level: 'silent' });

type Fault = 'drop' | 'timeout' | 'reload' | 'reconnect';
type Step = 'ok' | 'retry' | 'throw';

describe('deduplicating subscriber under random faults (property)', () => {
  it('brings every event to the sink successfully exactly once and acks only keys recorded done', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.constantFrom<Fault>('drop', 'timeout', 'reload', 'reconnect'), { maxLength: 6 }),
        // A sink script always contains an 'ok', so every event can eventually succeed.
        fc.array(fc.constantFrom<Step>('ok', 'ok', 'ok', 'retry', 'throw'), { maxLength: 12 }).map((s) => [...s, 'ok' as const]),
        fc.integer({ min: 1, max: 5 }),
        async (eventCount, faults, script, bufferSize) => {
          const server = createFakePersistentSubscription({ maxRetryCount: 1_000 });
          const data = createMemoryDedupData();
          const base = createMemoryDedupStore({ data });
          const done = new Set<string>();
          const violations: string[] = [];
          const store: DedupStore = {
            ...base,
            complete: async (scope, key) => {
              await base.complete(scope, key);
              done.add(key);
            },
          };
          const source: PersistentSubscriptionSource = {
            subscribe(target, handlers) {
              const sub = server.source.subscribe(target, handlers);
              return {
                ...sub,
                ack: (event) => {
                  const key = (event.event ?? event.link)?.id ?? '';
                  if (!done.has(key)) violations.push(`ack before done: ${key}`);
                  return sub.ack(event);
                },
              };
            },
          };
          const successes = new Map<string, number>();
          let calls = 0;
          const subscriber = createDeduplicatingSubscriber({
            source,
            stream: 'orders',
            group: 'billing',
            bufferSize,
            store,
            logger,
            backoff: { initialMs: 1, maxMs: 4, jitter: 0 },
            retryBackoff: { initialMs: 1, maxMs: 2 },
            epochFlushMs: 10,
            sink: async (delivery): Promise<SinkResult> => {
              const step = script[calls++ % script.length];
              await Promise.resolve();
              if (step === 'throw') throw new Error('sink exploded');
              if (step === 'retry') return { outcome: 'retry', reason: 'HTTP 503' };
              successes.set(delivery.eventId, (successes.get(delivery.eventId) ?? 0) + 1);
              return { outcome: 'ok' };
            },
          });
          const ids = server.append(eventCount);
          subscriber.start();
          try {
            for (const fault of faults) {
              const before = calls;
              await waitFor(() => calls > before || successes.size === eventCount, { message: 'progress' });
              if (fault === 'drop') server.dropAll();
              if (fault === 'timeout') server.expireInFlight();
              if (fault === 'reload') server.reloadFrom(0);
              if (fault === 'reconnect') subscriber.reconnect('property test');
            }
            await waitFor(() => successes.size === eventCount && server.isIdle(), {
              timeoutMs: 5_000,
              message: () => `all ${eventCount} delivered (have ${successes.size}, calls ${calls})`,
            });
          } finally {
            await subscriber.stop();
          }

          expect(violations).toEqual([]);
          expect([...successes.keys()].sort()).toEqual([...ids].sort());
          expect([...successes.values()].every((n) => n === 1)).toBe(true);
          const epochs = await subscriber.listEpochs(100);
          expect(epochs.map((e) => e.epoch)).toEqual(epochs.map((_, i) => epochs.length - i));
          expect(epochs.every((e) => e.endedAt !== null)).toBe(true);
          expect(epochs.reduce((sum, e) => sum + e.delivered, 0)).toBe(eventCount);
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});
