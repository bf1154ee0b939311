/**
 * Reconnect recovery (issue 7 §5): the subscriber (SQLite store, default backoff) reaches the
 * embedded server through the fault proxy while events keep arriving (one per 10 ms). Each cut
 * destroys every proxied connection; the proxy keeps listening, so the server is reachable again
 * at the instant of the cut. Measured: cut → first event handed to the sink on a later epoch.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { createFaultProxy } from '../../server/chaos/fault-proxy';
import { startEmbeddedEsdb } from '../../server/embedded-esdb';
import { createGroup, smallEvent, uniqueName } from '../lib/esdb';
import { percentile, round } from '../lib/stats';
import { openBenchStore } from '../lib/stores';
import { createBenchSubscriber } from '../lib/subscriber';
import type { BenchContext, ReconnectResult } from '../types';

/** Time between cuts once the previous one recovered: the subscriber is steady again. */
const SETTLE_MS = 500;
const RECOVERY_TIMEOUT_MS = 30_000;

export async function runReconnect(ctx: BenchContext): Promise<ReconnectResult> {
  const cuts = ctx.quick ? 3 : 20;
  const esdb = await startEmbeddedEsdb({ port: 0 });
  const admin = EventStoreDBClient.connectionString(esdb.connectionString);
  const proxy = await createFaultProxy({ target: { host: esdb.host, port: esdb.port } });
  const proxied = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${proxy.port}?tls=false`);
  const opened = await openBenchStore('sqlite', ctx.tmpDir);
  const stream = uniqueName('bench-reconnect');
  const group = uniqueName('reconnect');
  let producing = true;
  let producer: Promise<void> = Promise.resolve();
  let currentEpoch = 0;
  let waiter: { afterEpoch: number; resolve: (at: number) => void } | undefined;
  const subscriber = createBenchSubscriber({
    client: proxied,
    stream,
    group,
    store: opened.store,
    bufferSize: 10,
    sink: async (delivery) => {
      currentEpoch = Math.max(currentEpoch, delivery.epoch);
      if (waiter && delivery.epoch > waiter.afterEpoch) {
        waiter.resolve(performance.now());
        waiter = undefined;
      }
      return { outcome: 'ok' };
    },
  });
  try {
    await admin.appendToStream(stream, [smallEvent(0)]);
    await createGroup(admin, stream, group);
    producer = (async () => {
      for (let n = 1; producing; n += 1) {
        await admin.appendToStream(stream, [smallEvent(n)]);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    // A failing producer shows up as a recovery that never comes (the wait times out with a message).
    producer.catch((error: unknown) => ctx.log(`  producer failed: ${String(error)}`));
    subscriber.start();
    const nextDelivery = (afterEpoch: number) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no delivery after epoch ${afterEpoch} within ${RECOVERY_TIMEOUT_MS} ms`)), RECOVERY_TIMEOUT_MS);
        waiter = {
          afterEpoch,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        };
      });
    await nextDelivery(0);

    const recoveries: number[] = [];
    for (let cut = 0; cut < cuts; cut += 1) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const delivered = nextDelivery(currentEpoch);
      const at = performance.now();
      proxy.cutAll();
      recoveries.push((await delivered) - at);
    }
    const result = {
      cuts,
      p50Ms: round(percentile(recoveries, 50)),
      p95Ms: round(percentile(recoveries, 95)),
      maxMs: round(Math.max(...recoveries)),
    };
    ctx.log(`  ${cuts} cuts: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms`);
    return result;
  } finally {
    producing = false;
    await producer.catch(() => undefined); // already logged above
    await subscriber.stop();
    await opened.dispose();
    await proxied.dispose();
    await admin.dispose();
    await proxy.close();
    await esdb.stop();
  }
}
