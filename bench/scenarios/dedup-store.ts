/**
 * Dedup store (issue 7 §3): SQLite, the app's default store, in a child process — claims/s and
 * p50/p99 claim latency with 100 claims in flight, RSS and file size at 100k and 1M done keys,
 * prune throughput.
 */
import { startChild } from '../lib/child';
import { mb, perSecond, round } from '../lib/stats';
import type { BenchContext, StoreResult } from '../types';

interface Mark {
  keys: number;
  rss: number;
  heapUsed: number;
  fileBytes: number;
}

export async function runDedupStore(ctx: BenchContext): Promise<StoreResult> {
  const small = ctx.quick ? 2_000 : 100_000;
  const large = ctx.quick ? 10_000 : 1_000_000;
  const latencyClaims = ctx.quick ? 1_000 : 20_000;
  const run = startChild(
    'store-child.ts',
    [`--dir=${ctx.tmpDir}`, `--latency-claims=${latencyClaims}`, `--marks=${small},${large}`],
    { exposeGc: true },
  );
  try {
    const claims = await run.next<{ claimsPerSec: number; p50Ms: number; p99Ms: number }>('claims');
    ctx.log(`  ${perSecond(claims.claimsPerSec, 1000)} claims/s, p50 ${round(claims.p50Ms, 3)} ms, p99 ${round(claims.p99Ms, 3)} ms`);
    const atSmall = await run.next<Mark>('mark');
    ctx.log(`  ${atSmall.keys} keys: RSS ${mb(atSmall.rss)} MB, file ${mb(atSmall.fileBytes)} MB`);
    const atLarge = await run.next<Mark>('mark');
    ctx.log(`  ${atLarge.keys} keys: RSS ${mb(atLarge.rss)} MB, file ${mb(atLarge.fileBytes)} MB`);
    const prune = await run.next<{ removed: number; prunePerSec: number }>('prune');
    ctx.log(`  prune: ${prune.removed} keys at ${perSecond(prune.prunePerSec, 1000)} keys/s`);
    await run.exited;
    return {
      backend: 'sqlite',
      keysSmall: atSmall.keys,
      keysLarge: atLarge.keys,
      claimsPerSec: perSecond(claims.claimsPerSec, 1000),
      p50Ms: round(claims.p50Ms, 3),
      p99Ms: round(claims.p99Ms, 3),
      rssMbAt100k: mb(atSmall.rss),
      rssMbAt1M: mb(atLarge.rss),
      heapMbAt100k: mb(atSmall.heapUsed),
      heapMbAt1M: mb(atLarge.heapUsed),
      fileMbAt100k: mb(atSmall.fileBytes),
      fileMbAt1M: mb(atLarge.fileBytes),
      prunePerSec: perSecond(prune.prunePerSec, 1000),
    };
  } finally {
    run.kill();
  }
}
