/**
 * Dedup overhead (issue 7 §1): one embedded server (child process, as the app runs it), one
 * prefilled stream, a fresh group per variant so every variant reads the same events: the bare
 * official client acking each event, the bare client acking a tick's events in one message, and
 * the deduplicating subscriber with each dedup store and a no-op sink.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { startEmbeddedEsdb } from '../../server/embedded-esdb';
import { consumeBare, createGroup, prefill, uniqueName } from '../lib/esdb';
import { perSecond, round } from '../lib/stats';
import { openBenchStore, type StoreKind } from '../lib/stores';
import { consumeDeduplicated } from '../lib/subscriber';
import type { BenchContext, DedupOverheadResult } from '../types';

/** Same consumer buffer for every variant (the bare client and the subscriber alike). */
export const OVERHEAD_BUFFER_SIZE = 100;

export async function runDedupOverhead(ctx: BenchContext): Promise<DedupOverheadResult> {
  const events = ctx.quick ? 500 : 20_000;
  const esdb = await startEmbeddedEsdb({ port: 0 });
  const client = EventStoreDBClient.connectionString(esdb.connectionString);
  try {
    const stream = uniqueName('bench-overhead');
    await prefill(client, stream, events, 100);

    const bare = async (mode: 'per-event' | 'batched') => {
      const group = uniqueName(mode);
      await createGroup(client, stream, group);
      const rate = perSecond(events, await consumeBare(client, stream, group, events, mode, OVERHEAD_BUFFER_SIZE));
      ctx.log(`  bare client, ${mode} acks: ${rate} ev/s`);
      return rate;
    };
    const deduplicated = async (kind: StoreKind): Promise<{ rate: number | null; reason?: string }> => {
      let opened;
      try {
        opened = await openBenchStore(kind, ctx.tmpDir);
      } catch (error) {
        const reason = `${kind} store not reachable: ${error instanceof Error ? error.message : String(error)}`;
        ctx.log(`  ${reason}`);
        return { rate: null, reason };
      }
      try {
        const group = uniqueName(kind);
        await createGroup(client, stream, group);
        const ms = await consumeDeduplicated(
          { client, stream, group, store: opened.store, bufferSize: OVERHEAD_BUFFER_SIZE },
          events,
        );
        const rate = perSecond(events, ms);
        ctx.log(`  deduplicating subscriber, ${kind}: ${rate} ev/s`);
        return { rate };
      } finally {
        await opened.dispose();
      }
    };

    const barePerEvent = await bare('per-event');
    const bareBatched = await bare('batched');
    const sqlite = await deduplicated('sqlite');
    const redis = await deduplicated('redis');
    const postgres = await deduplicated('postgres');
    const ratio = (value: number | null, base: number) => (value === null ? null : round(value / base, 2));
    return {
      events,
      bufferSize: OVERHEAD_BUFFER_SIZE,
      barePerEvent,
      bareBatched,
      sqlite: sqlite.rate,
      ...(sqlite.reason ? { sqliteReason: sqlite.reason } : {}),
      redis: redis.rate,
      ...(redis.reason ? { redisReason: redis.reason } : {}),
      postgres: postgres.rate,
      ...(postgres.reason ? { postgresReason: postgres.reason } : {}),
      ratios: {
        sqliteVsBarePerEvent: ratio(sqlite.rate, barePerEvent),
        sqliteVsBareBatched: ratio(sqlite.rate, bareBatched),
        redisVsBarePerEvent: ratio(redis.rate, barePerEvent),
        postgresVsBarePerEvent: ratio(postgres.rate, barePerEvent),
      },
    };
  } finally {
    await client.dispose();
    await esdb.stop();
  }
}
