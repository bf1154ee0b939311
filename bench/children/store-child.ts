/**
 * Dedup store benchmark in its own process (RSS is the store's): SQLite as the app opens it.
 * Claim latency with 100 claims in flight (a subscriber's buffer), then keys filled in windows
 * of 1000 (claim + complete) with RSS and file size at each mark, then one prune of everything.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { createSqliteDedupStore } from '../../lib/dedup/sqlite-dedup-store';
import { argValue, memoryAfterGc, report } from '../lib/child';
import { percentile } from '../lib/stats';

const SCOPE = 'bench-stream::bench-group';

function fileBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      total += statSync(file + suffix).size;
    } catch {
      // Why: -wal/-shm exist only while WAL holds data; a missing one adds nothing.
    }
  }
  return total;
}

async function main(): Promise<void> {
  const file = path.join(argValue('dir'), 'store-bench.db');
  const latencyClaims = Number(argValue('latency-claims'));
  const marks = argValue('marks').split(',').map(Number);
  const store = createSqliteDedupStore({ path: file });
  let nextKey = 0;
  const key = () => `key-${(nextKey++).toString(36)}-0000-0000-bench`;

  const latencies: number[] = [];
  const started = performance.now();
  for (let done = 0; done < latencyClaims; done += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, latencyClaims - done) }, async () => {
        const k = key();
        const t = performance.now();
        const claim = await store.claim(SCOPE, k);
        latencies.push(performance.now() - t);
        if (claim.status !== 'new') throw new Error(`fresh key ${k} claimed as ${claim.status}`);
        await store.complete(SCOPE, k);
      }),
    );
  }
  const claimSeconds = (performance.now() - started) / 1000;
  report({
    type: 'claims',
    claims: latencyClaims,
    claimsPerSec: latencyClaims / claimSeconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  });

  for (const mark of marks) {
    while (nextKey < mark) {
      const window = Array.from({ length: Math.min(1000, mark - nextKey) }, key);
      await Promise.all(window.map((k) => store.claim(SCOPE, k)));
      await Promise.all(window.map((k) => store.complete(SCOPE, k)));
    }
    const memory = memoryAfterGc();
    report({ type: 'mark', keys: mark, rss: memory.rss, heapUsed: memory.heapUsed, fileBytes: fileBytes(file) });
  }

  const pruneStart = performance.now();
  const removed = await store.prune(new Date(Date.now() + 60_000));
  report({ type: 'prune', removed, prunePerSec: removed / ((performance.now() - pruneStart) / 1000) });
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`store-child: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
