/**
 * Memory under a long run (issue 7 §6): the subscriber in its own process consumes a group while
 * this process appends; RSS after 100k and 500k settled events must not grow with events seen.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { startEmbeddedEsdb } from '../../server/embedded-esdb';
import { startChild } from '../lib/child';
import { createGroup, smallEvent, uniqueName } from '../lib/esdb';
import { mb } from '../lib/stats';
import type { BenchContext, MemoryResult } from '../types';
import { OVERHEAD_BUFFER_SIZE } from './dedup-overhead';

interface Mark {
  events: number;
  rss: number;
  heapUsed: number;
}

export async function runMemory(ctx: BenchContext): Promise<MemoryResult> {
  const small = ctx.quick ? 1_000 : 100_000;
  const large = ctx.quick ? 3_000 : 500_000;
  const esdb = await startEmbeddedEsdb({ port: 0 });
  const client = EventStoreDBClient.connectionString(esdb.connectionString);
  const stream = uniqueName('bench-memory');
  const group = uniqueName('memory');
  let run: ReturnType<typeof startChild> | undefined;
  try {
    await client.appendToStream(stream, [smallEvent(0)]);
    await createGroup(client, stream, group);
    run = startChild(
      'memory-child.ts',
      [
        `--esdb=${esdb.connectionString}`,
        `--stream=${stream}`,
        `--group=${group}`,
        `--dir=${ctx.tmpDir}`,
        `--marks=${small},${large}`,
        `--buffer-size=${OVERHEAD_BUFFER_SIZE}`,
      ],
      { exposeGc: true },
    );
    await run.next('started');
    const marks = (async () => {
      const atSmall = await run.next<Mark>('mark');
      ctx.log(`  ${atSmall.events} events: RSS ${mb(atSmall.rss)} MB, heap ${mb(atSmall.heapUsed)} MB`);
      const atLarge = await run.next<Mark>('mark');
      ctx.log(`  ${atLarge.events} events: RSS ${mb(atLarge.rss)} MB, heap ${mb(atLarge.heapUsed)} MB`);
      return { atSmall, atLarge };
    })();
    // Awaited below; this keeps a child that dies mid-append from being an unhandled rejection.
    marks.catch(() => undefined);
    // Appends run ahead of the consumer; the server holds the backlog (its memory is not measured).
    for (let written = 1; written < large; written += 500) {
      const size = Math.min(500, large - written);
      await client.appendToStream(stream, Array.from({ length: size }, (_, i) => smallEvent(written + i)));
    }
    const { atSmall, atLarge } = await marks;
    await run.exited;
    return {
      events: { small, large },
      rssMbAt100k: mb(atSmall.rss),
      rssMbAt500k: mb(atLarge.rss),
      heapMbAt100k: mb(atSmall.heapUsed),
      heapMbAt500k: mb(atLarge.heapUsed),
    };
  } finally {
    run?.kill();
    await client.dispose();
    await esdb.stop();
  }
}
