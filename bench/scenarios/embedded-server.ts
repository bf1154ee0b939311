/**
 * Embedded server throughput (issue 3 "Performance", esdb-semantics.md §11): append-only in
 * batches of 100, then deliver+ack of the prefilled events through one group with the bare
 * official client (one ack per event, and the acks of a tick in one message) — with the server in
 * a child process (how the app runs it, `startEmbeddedEsdb`) and in this process (`createEsdbServer`,
 * sharing the client's event loop).
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { createEsdbServer, startEmbeddedEsdb } from '../../server/embedded-esdb';
import { consumeBare, createGroup, prefill, uniqueName } from '../lib/esdb';
import { perSecond } from '../lib/stats';
import type { BenchContext, EmbeddedServerResult, ServerThroughput } from '../types';

/** Consumer buffer of the deliver+ack runs: room for the 20–50-id ack batches §11 was measured with. */
export const THROUGHPUT_BUFFER_SIZE = 100;

async function measure(connectionString: string, events: number, ctx: BenchContext): Promise<ServerThroughput> {
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    const stream = uniqueName('bench-server');
    const appendStart = performance.now();
    await prefill(client, stream, events, 100);
    const appendOnly = perSecond(events, performance.now() - appendStart);
    ctx.log(`  append-only: ${appendOnly} ev/s`);

    const perEventGroup = uniqueName('per-event');
    await createGroup(client, stream, perEventGroup);
    const perEventMs = await consumeBare(client, stream, perEventGroup, events, 'per-event', THROUGHPUT_BUFFER_SIZE);
    const deliverAckPerEvent = perSecond(events, perEventMs);
    ctx.log(`  deliver+ack, one ack per event: ${deliverAckPerEvent} ev/s`);

    const batchedGroup = uniqueName('batched');
    await createGroup(client, stream, batchedGroup);
    const batchedMs = await consumeBare(client, stream, batchedGroup, events, 'batched', THROUGHPUT_BUFFER_SIZE);
    const deliverAckBatched = perSecond(events, batchedMs);
    ctx.log(`  deliver+ack, batched acks: ${deliverAckBatched} ev/s`);
    return { appendOnly, deliverAckPerEvent, deliverAckBatched };
  } finally {
    await client.dispose();
  }
}

export async function runEmbeddedServer(ctx: BenchContext): Promise<EmbeddedServerResult> {
  const events = ctx.quick ? 1_000 : 20_000;

  ctx.log('server in a child process (off the client loop):');
  const child = await startEmbeddedEsdb({ port: 0 });
  let childResult: ServerThroughput;
  try {
    childResult = await measure(child.connectionString, events, ctx);
  } finally {
    await child.stop();
  }

  ctx.log('server in this process (on the client loop):');
  const inProcess = await createEsdbServer({ port: 0 });
  let inProcessResult: ServerThroughput;
  try {
    inProcessResult = await measure(inProcess.connectionString, events, ctx);
  } finally {
    await inProcess.stop();
  }

  return { events, bufferSize: THROUGHPUT_BUFFER_SIZE, mode: 'child-process', ...childResult, inProcess: inProcessResult };
}
