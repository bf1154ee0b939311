/**
 * Dedup overhead (issue 7 §1): one embedded server (child process, as the app runs it), one
 * prefilled stream, a fresh group per variant so every variant reads the same events: the bare
 * official client acking each event, the bare client acking a tick's events in one message, and
 * the deduplicating subscriber with each dedup store and a no-op sink — and, as a reference for
 * what the subscriber itself costs, with an in-memory store (nothing durable).
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { startEmbeddedEsdb } from '../../server/embedded-esdb';
import { consumeBare, createGroup, prefill, uniqueName } from '../lib/esdb';
import { median, perSecond, round } from '../lib/stats';
import { openBenchStore, type StoreKind } from '../lib/stores';
import { consumeDeduplicated } from '../lib/subscriber';
import { createMemoryDedupStore } from '../../lib/dedup/memory-dedup-store';
import type { BenchContext, DedupOverheadResult, OverheadRound } from '../types';

/** Same consumer buffer for every variant (the bare client and the subscriber alike). */
export const OVERHEAD_BUFFER_SIZE = 100;

/** Rounds of all variants (the quick smoke run: one). */
const ROUNDS = (ctx: BenchContext) => (ctx.quick ? 1 : 5);

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
      return perSecond(events, await consumeBare(client, stream, group, events, mode, OVERHEAD_BUFFER_SIZE));
    };
    const deduplicated = async (kind: StoreKind | 'memory'): Promise<{ rate: number | null; reason?: string }> => {
      let opened;
      try {
        opened =
          kind === 'memory'
            ? { store: createMemoryDedupStore(), dispose: async () => undefined }
            : await openBenchStore(kind, ctx.tmpDir);
      } catch (error) {
        return { rate: null, reason: `${kind} store not reachable: ${error instanceof Error ? error.message : String(error)}` };
      }
      try {
        const group = uniqueName(kind);
        await createGroup(client, stream, group);
        const ms = await consumeDeduplicated(
          { client, stream, group, store: opened.store, bufferSize: OVERHEAD_BUFFER_SIZE },
          events,
        );
        return { rate: perSecond(events, ms) };
      } finally {
        await opened.dispose();
      }
    };

    // The machine is shared and its load drifts: every round runs every variant back to back,
    // the reported rate is each variant's median over the rounds, and each ratio the median of
    // the ratios measured within one round.
    const rounds: OverheadRound[] = [];
    for (let round = 1; round <= ROUNDS(ctx); round += 1) {
      const barePerEvent = await bare('per-event');
      const bareBatched = await bare('batched');
      const memory = await deduplicated('memory');
      const sqlite = await deduplicated('sqlite');
      const redis = await deduplicated('redis');
      const postgres = await deduplicated('postgres');
      const entry: OverheadRound = {
        barePerEvent,
        bareBatched,
        subscriberWithoutStore: memory.rate,
        sqlite: sqlite.rate,
        redis: redis.rate,
        postgres: postgres.rate,
        ...(sqlite.reason ? { sqliteReason: sqlite.reason } : {}),
        ...(redis.reason ? { redisReason: redis.reason } : {}),
        ...(postgres.reason ? { postgresReason: postgres.reason } : {}),
      };
      rounds.push(entry);
      ctx.log(
        `  round ${round}: bare per-event ${barePerEvent}, bare batched ${bareBatched}, subscriber without store ${memory.rate ?? '–'}, ` +
          `sqlite ${sqlite.rate ?? '–'}, redis ${redis.rate ?? '–'}, postgres ${postgres.rate ?? '–'} ev/s`,
      );
    }
    const medianOf = (pick: (r: OverheadRound) => number | null) => {
      const values = rounds.map(pick).filter((v): v is number => v !== null);
      return values.length === rounds.length ? median(values) : null;
    };
    const ratioOf = (pick: (r: OverheadRound) => number | null, base: (r: OverheadRound) => number) =>
      medianOf((r) => {
        const value = pick(r);
        return value === null ? null : value / base(r);
      });
    const ratio = (value: number | null) => (value === null ? null : round(value, 2));
    const reasonOf = (key: 'sqliteReason' | 'redisReason' | 'postgresReason') => rounds.find((r) => r[key])?.[key];
    const sqliteReason = reasonOf('sqliteReason');
    const redisReason = reasonOf('redisReason');
    const postgresReason = reasonOf('postgresReason');
    const rate = (pick: (r: OverheadRound) => number | null) => {
      const value = medianOf(pick);
      return value === null ? null : Math.round(value);
    };
    return {
      events,
      bufferSize: OVERHEAD_BUFFER_SIZE,
      rounds: rounds.length,
      barePerEvent: rate((r) => r.barePerEvent) as number,
      bareBatched: rate((r) => r.bareBatched) as number,
      subscriberWithoutStore: rate((r) => r.subscriberWithoutStore),
      sqlite: rate((r) => r.sqlite),
      ...(sqliteReason ? { sqliteReason } : {}),
      redis: rate((r) => r.redis),
      ...(redisReason ? { redisReason } : {}),
      postgres: rate((r) => r.postgres),
      ...(postgresReason ? { postgresReason } : {}),
      ratios: {
        sqliteVsBarePerEvent: ratio(ratioOf((r) => r.sqlite, (r) => r.barePerEvent)),
        sqliteVsBareBatched: ratio(ratioOf((r) => r.sqlite, (r) => r.bareBatched)),
        redisVsBarePerEvent: ratio(ratioOf((r) => r.redis, (r) => r.barePerEvent)),
        postgresVsBarePerEvent: ratio(ratioOf((r) => r.postgres, (r) => r.barePerEvent)),
        subscriberWithoutStoreVsBareBatched: ratio(ratioOf((r) => r.subscriberWithoutStore, (r) => r.bareBatched)),
      },
      perRound: rounds,
    };
  } finally {
    await client.dispose();
    await esdb.stop();
  }
}
