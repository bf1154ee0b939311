/**
 * The deduplicating subscriber alone in a process (SQLite store, no-op sink), so its RSS is its
 * own: reports RSS and heap after a full GC when it has settled each mark of events.
 */
import path from 'node:path';
import { EventStoreDBClient } from '@eventstore/db-client';
import { createSqliteDedupStore } from '../../lib/dedup/sqlite-dedup-store';
import { argValue, memoryAfterGc, report } from '../lib/child';
import { createBenchSubscriber } from '../lib/subscriber';

async function main(): Promise<void> {
  const client = EventStoreDBClient.connectionString(argValue('esdb'));
  const marks = argValue('marks').split(',').map(Number);
  const store = createSqliteDedupStore({ path: path.join(argValue('dir'), 'memory-bench.db') });
  let settled = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const subscriber = createBenchSubscriber({
    client,
    stream: argValue('stream'),
    group: argValue('group'),
    store,
    bufferSize: Number(argValue('buffer-size')),
    onReceived: () => {
      settled += 1;
      if (settled === marks[0]) {
        marks.shift();
        // Outside the subscriber's callback, so the collection sees a quiet stack.
        setImmediate(() => {
          const memory = memoryAfterGc();
          report({ type: 'mark', events: settled, rss: memory.rss, heapUsed: memory.heapUsed });
          if (marks.length === 0) finish();
        });
      }
    },
  });
  subscriber.start();
  report({ type: 'started' });
  await finished;
  await subscriber.stop();
  await store.close();
  await client.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`memory-child: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
