import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakePersistentSubscription } from '../../test/fakes/fake-persistent-subscription';
import { waitFor } from '../../test/helpers/wait-for';
import { epochSchema, type EpochRecord } from '../api/schemas';
import { createMemoryDedupStore } from '../dedup/memory-dedup-store';
import { createDeduplicatingSubscriber, type DeduplicatingSubscriber, type ReceivedInfo } from './deduplicating-subscriber';
import type { Delivery } from './sink';

const logger = pino({ level: 'silent' });
const running: DeduplicatingSubscriber[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function gate() {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function setup(options: { hold?: Promise<void>; getCheckpointGap?: () => Promise<number | null> } = {}) {
  const server = createFakePersistentSubscription();
  const sinkCalls: Delivery[] = [];
  const received: ReceivedInfo[] = [];
  const subscriber = createDeduplicatingSubscriber({
    source: server.source,
    stream: 'orders',
    group: 'billing',
    store: createMemoryDedupStore(),
    logger,
    backoff: { initialMs: 1, maxMs: 5, jitter: 0 },
    epochFlushMs: 10,
    sink: async (delivery) => {
      sinkCalls.push(delivery);
      if (options.hold && delivery.retryCount === 0) await options.hold;
      return { outcome: 'ok' };
    },
    onReceived: (info) => received.push(info),
    ...(options.getCheckpointGap ? { getCheckpointGap: options.getCheckpointGap } : {}),
  });
  running.push(subscriber);
  return { server, subscriber, sinkCalls, received };
}

/** Every epoch record's per-cause counts add up to its duplicatesSuppressed. */
function expectCausesAddUp(epochs: EpochRecord[]): void {
  for (const epoch of epochs) {
    const sum = Object.values(epoch.duplicatesByCause).reduce((a, b) => a + b, 0);
    expect(sum).toBe(epoch.duplicatesSuppressed);
  }
}

const causes = (received: ReceivedInfo[]) => received.filter((r) => r.outcome === 'duplicate').map((r) => r.cause);

describe('duplicate cause tagging (in-memory subscription)', () => {
  it('tags a message-timeout redelivery of a key still in the sink as a timeout duplicate', async () => {
    const release = gate();
    const h = setup({ hold: release.promise });
    h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 1, { message: 'first copy in the sink' });
    h.server.expireInFlight();
    await waitFor(() => h.server.pushes.length === 2, { message: 'timeout redelivery pushed' });
    release.open();
    await waitFor(() => h.received.length === 2 && h.server.isIdle(), { message: 'both copies settled' });
    await h.subscriber.stop();

    expect(causes(h.received)).toEqual(['timeout']);
    const epochs = await h.subscriber.listEpochs(10);
    expect(epochs[0]?.duplicatesByCause).toEqual({ reconnect: 0, timeout: 1, reload: 0, replay: 0, other: 0 });
    expectCausesAddUp(epochs);
  });

  it('tags redeliveries after a dropped connection of keys received before the drop as reconnect duplicates', async () => {
    const release = gate();
    const h = setup({ hold: release.promise });
    h.server.append(4);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 4, { message: 'four in the sink' });
    h.server.dropAll();
    await waitFor(() => h.subscriber.getSummary().epoch === 2 && h.server.pushes.length === 8, {
      message: 'redelivered on the second connection',
    });
    release.open();
    await waitFor(() => h.received.length === 8 && h.server.isIdle(), { message: 'all copies settled' });
    await h.subscriber.stop();

    expect(causes(h.received)).toEqual(['reconnect', 'reconnect', 'reconnect', 'reconnect']);
    const [second, first] = await h.subscriber.listEpochs(10);
    expect(second?.duplicatesByCause).toEqual({ reconnect: 4, timeout: 0, reload: 0, replay: 0, other: 0 });
    expect(first).toMatchObject({ delivered: 4, duplicatesSuppressed: 0 });
    expectCausesAddUp(await h.subscriber.listEpochs(10));
  });

  it('tags retryCount 0 redeliveries after a persistent-subscription-dropped drop as reload duplicates', async () => {
    const h = setup();
    h.server.append(6);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 6, { message: 'first pass acked' });
    h.server.restartGroup(2); // checkpoint after the second event: events 2..5 come back
    await waitFor(() => h.received.length === 10 && h.server.isIdle(), { message: 'reloaded copies settled' });
    await h.subscriber.stop();

    expect(h.sinkCalls).toHaveLength(6);
    expect(causes(h.received)).toEqual(['reload', 'reload', 'reload', 'reload']);
    const [second] = await h.subscriber.listEpochs(10);
    expect(second).toMatchObject({ epoch: 2, duplicatesSuppressed: 4 });
    expect(second?.duplicatesByCause).toEqual({ reconnect: 0, timeout: 0, reload: 4, replay: 0, other: 0 });
  });

  it('sums the causes of every epoch into the summary, next to duplicatesSuppressed', async () => {
    const h = setup();
    const [first] = h.server.append(6);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 6, { message: 'first pass acked' });
    h.server.restartGroup(2); // epoch 2: events 2..5 come back as reload duplicates
    await waitFor(() => h.received.length === 10 && h.server.isIdle(), { message: 'reloaded copies settled' });
    h.server.parkCopy(first as string);
    h.server.replayParked(); // plus one replay duplicate in epoch 2
    await waitFor(() => h.received.length === 11 && h.server.isIdle(), { message: 'replay settled' });

    expect(h.subscriber.getSummary()).toMatchObject({
      epoch: 2,
      duplicatesSuppressed: 5,
      duplicatesByCause: { reconnect: 0, timeout: 0, reload: 4, replay: 1, other: 0 },
      failure: null,
    });
  });

  it('tags a replayed parked copy of a processed event as a replay duplicate and never calls the sink for it', async () => {
    const h = setup();
    const [id] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 1, { message: 'processed' });
    h.server.parkCopy(id as string);
    h.server.replayParked();
    await waitFor(() => h.received.length === 2 && h.server.isIdle(), { message: 'replay settled' });
    await h.subscriber.stop();

    expect(h.sinkCalls).toHaveLength(1);
    expect(causes(h.received)).toEqual(['replay']);
    const epochs = await h.subscriber.listEpochs(10);
    expect(epochs[0]?.duplicatesByCause).toEqual({ reconnect: 0, timeout: 0, reload: 0, replay: 1, other: 0 });
    expectCausesAddUp(epochs);
  });

  it('records the checkpoint gap read when the connection is confirmed in that epoch', async () => {
    let reads = 0;
    const h = setup({ getCheckpointGap: async () => (reads += 1) * 7 });
    h.subscriber.start();
    await waitFor(async () => (await h.subscriber.listEpochs(1))[0]?.checkpointGap === 7, { message: 'gap stored' });
    h.subscriber.reconnect('test');
    await waitFor(async () => (await h.subscriber.listEpochs(1))[0]?.checkpointGap === 14, { message: 'second gap' });
    await h.subscriber.stop();
    const epochs = await h.subscriber.listEpochs(10);
    for (const epoch of epochs) epochSchema.parse(epoch);
    expect(epochs.map((e) => [e.epoch, e.checkpointGap])).toEqual([
      [2, 14],
      [1, 7],
    ]);
  });

  it('leaves the checkpoint gap unknown and keeps delivering when it cannot be read', async () => {
    const h = setup({ getCheckpointGap: () => Promise.reject(new Error('UnavailableError: GetInfo failed')) });
    h.server.append(2);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 2, { message: 'delivered' });
    await h.subscriber.stop();
    expect((await h.subscriber.listEpochs(1))[0]).toMatchObject({ delivered: 2, checkpointGap: null });
  });
});
