import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFakePersistentSubscription,
  type FakePersistentSubscription,
} from '../../test/fakes/fake-persistent-subscription';
import { waitFor } from '../../test/helpers/wait-for';
import { epochSchema, type Epoch } from '../api/schemas';
import type { DedupStore } from '../dedup/dedup-store';
import { createMemoryDedupData, createMemoryDedupStore, type MemoryDedupData } from '../dedup/memory-dedup-store';
import type { PersistentSubscriptionSource } from '../esdb/persistent-subscription-source';
import {
  createDeduplicatingSubscriber,
  type DeduplicatingSubscriber,
  type ReceivedInfo,
} from './deduplicating-subscriber';
import type { DedupKeySpec } from './dedup-key';
import type { Delivery, Sink, SinkResult } from './sink';

const logger = pino({ level: 'silent' });
const SCOPE = 'orders::billing';

interface Harness {
  server: FakePersistentSubscription;
  data: MemoryDedupData;
  store: DedupStore;
  subscriber: DeduplicatingSubscriber;
  sinkCalls: Delivery[];
  received: ReceivedInfo[];
  epochEvents: Epoch[];
  timeline: string[];
}

const running: DeduplicatingSubscriber[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** Records sink / complete / ack order per key into one timeline. */
function setup(
  options: {
    sink?: (d: Delivery) => Promise<SinkResult>;
    server?: FakePersistentSubscription;
    data?: MemoryDedupData;
    store?: (base: DedupStore) => DedupStore;
    bufferSize?: number;
    dedupKey?: DedupKeySpec;
    stopTimeoutMs?: number;
    retryBackoff?: { initialMs: number; maxMs: number };
    maxClaimWaitMs?: number;
  } = {},
): Harness {
  const server = options.server ?? createFakePersistentSubscription();
  const data = options.data ?? createMemoryDedupData();
  const timeline: string[] = [];
  const base = createMemoryDedupStore({ data });
  const recording: DedupStore = {
    ...base,
    complete: async (scope, key) => {
      await base.complete(scope, key);
      timeline.push(`complete:${key}`);
    },
  };
  const store = options.store ? options.store(recording) : recording;
  const source: PersistentSubscriptionSource = {
    subscribe(target, handlers) {
      const sub = server.source.subscribe(target, handlers);
      return {
        ...sub,
        ack: async (event) => {
          timeline.push(`ack:${(event.event ?? event.link)?.id ?? ''}`);
          return sub.ack(event);
        },
      };
    },
  };
  const sinkCalls: Delivery[] = [];
  const received: ReceivedInfo[] = [];
  const epochEvents: Epoch[] = [];
  const sink: Sink = async (delivery) => {
    sinkCalls.push(delivery);
    const result = options.sink ? await options.sink(delivery) : ({ outcome: 'ok' } as const);
    if (result.outcome === 'ok') timeline.push(`sink:${delivery.key}`);
    return result;
  };
  const subscriber = createDeduplicatingSubscriber({
    source,
    stream: 'orders',
    group: 'billing',
    bufferSize: options.bufferSize ?? 10,
    store,
    sink,
    logger,
    backoff: { initialMs: 1, maxMs: 5, jitter: 0 },
    retryBackoff: options.retryBackoff ?? { initialMs: 1, maxMs: 5 },
    epochFlushMs: 20,
    ...(options.dedupKey ? { dedupKey: options.dedupKey } : {}),
    ...(options.stopTimeoutMs ? { stopTimeoutMs: options.stopTimeoutMs } : {}),
    ...(options.maxClaimWaitMs ? { maxClaimWaitMs: options.maxClaimWaitMs } : {}),
    onEpoch: (epoch) => epochEvents.push(epoch),
    onReceived: (info) => received.push(info),
  });
  running.push(subscriber);
  return { server, data, store, subscriber, sinkCalls, received, epochEvents, timeline };
}

function gate() {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const uniqueKeys = (calls: Delivery[]) => new Set(calls.map((d) => d.key));

describe('deduplicating subscriber (in-memory subscription)', () => {
  it('delivers every new event to the sink once and acks it only after the key is recorded done', async () => {
    const h = setup();
    const ids = h.server.append(25);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 25 && h.server.isIdle(), { message: '25 acks' });

    expect(h.sinkCalls.map((d) => d.eventId).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const order = ['sink', 'complete', 'ack'].map((step) => h.timeline.indexOf(`${step}:${id}`));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(h.sinkCalls[0]).toMatchObject({ stream: 'orders', type: 'TestEvent', retryCount: 0, epoch: 1, isJson: true });
    expect(h.subscriber.getSummary()).toEqual({
      state: 'live',
      epoch: 1,
      received: 25,
      delivered: 25,
      duplicatesSuppressed: 0,
      duplicatesByCause: { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 },
      parked: 0,
      failure: null,
    });
  });

  it('acks a redelivered duplicate without calling the sink', async () => {
    const h = setup();
    h.server.append(10);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 10, { message: 'first pass acked' });

    h.server.reloadFrom(0); // group reload from an old checkpoint: everything again, retryCount 0
    await waitFor(() => h.server.acks.length === 20 && h.server.isIdle(), { message: 'redeliveries acked' });

    expect(h.sinkCalls).toHaveLength(10);
    expect(h.received.filter((r) => r.outcome === 'duplicate')).toHaveLength(10);
    expect(h.subscriber.getCurrentEpoch()).toMatchObject({ epoch: 1, received: 20, delivered: 10, duplicatesSuppressed: 10 });
  });

  it('waits for the first copy when a message-timeout redelivery arrives while the sink is still running', async () => {
    const release = gate();
    const h = setup({ sink: async () => (await release.promise, { outcome: 'ok' }) });
    const [id] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 1, { message: 'first copy in the sink' });

    h.server.expireInFlight();
    await waitFor(() => h.server.pushes.length === 2, { message: 'timeout redelivery pushed' });
    release.open();
    await waitFor(() => h.received.length === 2 && h.server.isIdle(), { message: 'both copies settled' });

    expect(h.sinkCalls).toHaveLength(1);
    expect(h.received.map((r) => [r.key, r.retryCount, r.outcome]).sort()).toEqual([
      [id, 0, 'delivered'],
      [id, 1, 'duplicate'],
    ]);
  });

  it('releases the key and nacks retry when the sink asks to retry, so the redelivery reaches the sink', async () => {
    let calls = 0;
    const h = setup({ sink: async () => (++calls === 1 ? { outcome: 'retry', reason: 'HTTP 503' } : { outcome: 'ok' }) });
    const [id] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 1, { message: 'ack after retry' });

    expect(h.server.nacks).toEqual([{ id, action: 'retry', reason: 'sink asked to retry: HTTP 503' }]);
    expect(h.sinkCalls.map((d) => d.retryCount)).toEqual([0, 1]);
    expect(h.subscriber.getCurrentEpoch()).toMatchObject({ received: 2, delivered: 1, retried: 1 });
  });

  it('treats a sink that throws as a retry', async () => {
    let calls = 0;
    const h = setup({
      sink: async () => {
        if (++calls === 1) throw new Error('socket hang up');
        return { outcome: 'ok' };
      },
    });
    h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 1, { message: 'ack after thrown sink' });
    expect(h.server.nacks.map((n) => [n.action, n.reason])).toEqual([['retry', 'sink threw: Error: socket hang up']]);
  });

  it('parks with the sink’s reason without recording the key, so a replayed parked message reaches the sink', async () => {
    let calls = 0;
    const h = setup({
      sink: async () => (++calls === 1 ? { outcome: 'park', reason: 'HTTP 422: invalid order' } : { outcome: 'ok' }),
    });
    const [id] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.server.parked.length === 1, { message: 'message parked' });
    expect(h.server.nacks).toEqual([{ id, action: 'park', reason: 'HTTP 422: invalid order' }]);
    expect(h.subscriber.getSummary().parked).toBe(1);

    h.server.replayParked();
    await waitFor(() => h.server.acks.length === 1, { message: 'replayed message acked' });
    expect(h.sinkCalls.map((d) => d.eventId)).toEqual([id, id]);
    expect(h.received.map((r) => r.outcome)).toEqual(['parked', 'delivered']);
  });

  it('never acks a delivery whose key could not be recorded done', async () => {
    let failures = 1;
    const h = setup({
      store: (base) => ({
        ...base,
        complete: async (scope, key) => {
          if (failures-- > 0) throw new Error('SQLITE_FULL: database or disk is full');
          await base.complete(scope, key);
        },
      }),
    });
    const [id] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 1, { message: 'ack once the store works again' });

    expect(h.server.nacks.map((n) => n.action)).toEqual(['retry']);
    expect(h.server.nacks[0]?.reason).toMatch(/^dedup store failed: Error: SQLITE_FULL/);
    expect(h.sinkCalls.map((d) => d.eventId)).toEqual([id, id]); // at-least-once: the sink is asked again
  });

  it('nacks retry without calling the sink while another instance holds the claim past the bounded wait, then takes over after its lease', async () => {
    const data = createMemoryDedupData();
    // The stores' clock moves only when the test says so: the lease ends after the first nack, not
    // whenever a slow machine gets round to it.
    let clock = 1_700_000_000_000;
    const other = createMemoryDedupStore({ data, instanceId: 'other-instance', leaseMs: 400, now: () => clock });
    const h = setup({ data, store: () => createMemoryDedupStore({ data, instanceId: 'local', now: () => clock }), maxClaimWaitMs: 100 });
    const [id = ''] = h.server.append(1);
    await other.claim(SCOPE, id);
    h.subscriber.start();
    await waitFor(() => h.server.nacks.length === 1, { message: 'nacked after the bounded wait' });
    clock += 1_000;
    await waitFor(() => h.server.acks.length === 1, { message: 'delivered after the lease ended' });
    expect(h.server.nacks[0]).toMatchObject({ id, action: 'retry', reason: 'dedup key is being processed by another instance' });
    // The first delivery (retryCount 0) never reached the sink; a redelivery after the lease did.
    expect(h.sinkCalls.map((d) => [d.eventId, d.retryCount > 0])).toEqual([[id, true]]);
  });

  it('acks a delivery as a duplicate without a nack when the instance holding its key finishes it within the wait', async () => {
    const data = createMemoryDedupData();
    const other = createMemoryDedupStore({ data, instanceId: 'other-instance', leaseMs: 60_000 });
    const h = setup({ data, store: () => createMemoryDedupStore({ data, instanceId: 'local' }) });
    const [id = ''] = h.server.append(1);
    await other.claim(SCOPE, id);
    h.subscriber.start();
    await waitFor(() => h.server.pushes.length === 1, { message: 'delivered while the other instance holds the key' });
    // The other instance's copy succeeds a moment later (its sink call was in flight).
    await other.complete(SCOPE, id);
    await waitFor(() => h.server.acks.length === 1, { message: 'acked' });
    expect(h.server.nacks).toEqual([]);
    expect(h.sinkCalls).toEqual([]);
    expect(h.received).toEqual([expect.objectContaining({ eventId: id, outcome: 'duplicate' })]);
  });

  it('reconnects after every drop, closing the old epoch with the reason and opening a new one first', async () => {
    const release = gate();
    const h = setup({ sink: async (d) => (d.retryCount === 0 ? await release.promise : undefined, { outcome: 'ok' }) });
    h.server.append(5);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 5, { message: 'five in the sink' });

    h.server.dropAll('UnavailableError: 14 UNAVAILABLE: Connection dropped');
    await waitFor(() => h.subscriber.getSummary().epoch === 2 && h.subscriber.getSummary().state === 'live', {
      message: 'second epoch live',
    });
    release.open();
    await waitFor(() => h.server.isIdle() && h.received.length === 10, { message: 'all redeliveries settled' });

    const epochs = await h.subscriber.listEpochs(10);
    for (const epoch of epochs) epochSchema.parse(epoch);
    expect(epochs.map((e) => [e.epoch, e.endReason])).toEqual([
      [2, null],
      [1, 'connection lost: UnavailableError: 14 UNAVAILABLE: Connection dropped'],
    ]);
    // First copies finished after their connection died: they still count in epoch 1.
    await waitFor(async () => (await h.subscriber.listEpochs(10))[1]?.delivered === 5, { message: 'late counts flushed' });
    expect(uniqueKeys(h.sinkCalls).size).toBe(5);
    expect(h.sinkCalls).toHaveLength(5);
    expect(h.epochEvents.map((e) => [e.epoch, e.endedAt === null])).toEqual([
      [1, true],
      [1, false],
      [2, true],
    ]);
  });

  it('keeps outcomes that land while the ended epoch is still being closed in the store, so the stored epoch counts them', async () => {
    const sinkGate = gate();
    const closeGate = gate();
    const h = setup({
      sink: async () => (await sinkGate.promise, { outcome: 'ok' }),
      store: (base) => ({
        ...base,
        // A slow store (a round trip to Redis or PostgreSQL): the close lands after later outcomes.
        closeEpoch: async (...args) => {
          await closeGate.promise;
          return base.closeEpoch(...args);
        },
      }),
    });
    h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 1, { message: 'one in the sink' });
    h.server.dropAll('UnavailableError: 14 UNAVAILABLE: Connection dropped');
    sinkGate.open();
    await waitFor(() => h.received.some((r) => r.epoch === 1 && r.outcome === 'delivered'), { message: 'delivered in epoch 1' });
    closeGate.open();
    await waitFor(() => h.server.isIdle(), { message: 'the redelivery acked as a duplicate' });
    await h.subscriber.stop();

    const epoch1 = (await h.store.listEpochs(SCOPE, 10)).find((e) => e.epoch === 1);
    expect(epoch1).toMatchObject({
      endReason: 'connection lost: UnavailableError: 14 UNAVAILABLE: Connection dropped',
      received: 1,
      delivered: 1,
    });
  });

  it('backs off after failed subscribe attempts and opens no epoch until a connection is confirmed', async () => {
    const h = setup();
    h.server.failNextSubscribes('PersistentSubscriptionDoesNotExistError: 5 NOT_FOUND', 'UnavailableError: 14 UNAVAILABLE');
    h.server.append(3);
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 3, { message: 'delivered after retries' });
    expect(h.server.subscribeCount()).toBe(3);
    expect((await h.subscriber.listEpochs(10)).map((e) => e.epoch)).toEqual([1]);
  });

  it('closes the current epoch as a forced reconnect and resubscribes at once', async () => {
    const h = setup();
    h.subscriber.start();
    await waitFor(() => h.subscriber.getSummary().state === 'live', { message: 'live' });
    h.subscriber.reconnect('operator asked');
    await waitFor(() => h.subscriber.getSummary().epoch === 2 && h.subscriber.getSummary().state === 'live', {
      message: 'second epoch',
    });
    h.server.append(2);
    await waitFor(() => h.server.acks.length === 2, { message: 'events after reconnect' });
    expect((await h.subscriber.listEpochs(10)).map((e) => e.endReason)).toEqual([null, 'forced reconnect: operator asked']);
    expect(h.server.openConnections()).toBe(1);
    expect(h.sinkCalls.every((d) => d.epoch === 2)).toBe(true);
  });

  it('stops by draining in-flight sink calls, sending their acks and closing the epoch as stopped', async () => {
    const release = gate();
    const h = setup({ sink: async () => (await release.promise, { outcome: 'ok' }) });
    h.server.append(3);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 3, { message: 'three in the sink' });

    const stopped = h.subscriber.stop();
    expect(h.subscriber.stop()).toBe(stopped);
    release.open();
    await stopped;

    expect(h.server.acks).toHaveLength(3);
    expect(h.subscriber.getSummary()).toMatchObject({ state: 'stopped', delivered: 3 });
    expect(await h.subscriber.listEpochs(1)).toEqual([
      expect.objectContaining({ epoch: 1, endReason: 'stopped', received: 3, delivered: 3 }),
    ]);
    expect(h.server.openConnections()).toBe(0);
    expect(() => h.subscriber.start()).toThrow(/already started/);
  });

  it('suppresses events completed by a previous subscriber after a restart on the same store', async () => {
    const server = createFakePersistentSubscription();
    const data = createMemoryDedupData();
    const first = setup({ server, data });
    server.append(8);
    first.subscriber.start();
    await waitFor(() => server.acks.length === 8, { message: 'first run done' });
    await first.subscriber.stop();

    server.reloadFrom(0); // the restarted group redelivers from an old checkpoint
    const second = setup({ server, data });
    second.subscriber.start();
    await waitFor(() => server.acks.length === 16 && server.isIdle(), { message: 'second run done' });

    expect(second.sinkCalls).toHaveLength(0);
    expect(second.subscriber.getSummary()).toMatchObject({ epoch: 2, duplicatesSuppressed: 8 });
  });

  it('delivers events that share a business key once when deduplicating by a data path', async () => {
    const h = setup({ dedupKey: 'data:order.id' });
    const ids = h.server.append(4, undefined, (n) => ({ order: { id: n < 2 ? 'o-1' : `o-${n}` } }));
    h.subscriber.start();
    await waitFor(() => h.server.acks.length === 4 && h.server.isIdle(), { message: 'four acks' });
    expect(h.sinkCalls.map((d) => [d.eventId, d.key])).toEqual([
      [ids[0], 'o-1'],
      [ids[2], 'o-2'],
      [ids[3], 'o-3'],
    ]);
    expect(h.subscriber.getSummary().duplicatesSuppressed).toBe(1);
  });

  it('parks a delivery whose business key is missing, with the reason', async () => {
    const h = setup({ dedupKey: 'metadata:orderId' });
    const [id] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.server.parked.length === 1, { message: 'parked' });
    expect(h.sinkCalls).toHaveLength(0);
    expect(h.server.nacks).toEqual([
      { id, action: 'park', reason: `dedup key metadata:orderId is missing or not a string/number in event ${id}` },
    ]);
  });

  it('stops after the stop deadline even when a sink call hangs, without acking that delivery', async () => {
    const h = setup({ sink: () => new Promise<SinkResult>(() => undefined), stopTimeoutMs: 50 });
    h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 1, { message: 'sink call hanging' });

    await h.subscriber.stop();

    expect(h.server.acks).toEqual([]);
    expect(h.server.openConnections()).toBe(0);
    expect(await h.subscriber.listEpochs(1)).toEqual([expect.objectContaining({ endReason: 'stopped', delivered: 0 })]);
  });

  it('parks a delivery held for its retry at once when an operator parks it, and a replay reaches the sink', async () => {
    let calls = 0;
    const h = setup({
      sink: async () => (++calls === 1 ? { outcome: 'retry', reason: 'HTTP 500' } : { outcome: 'ok' }),
      retryBackoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    const [id = ''] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 1, { message: 'first sink call failed' });

    expect(await h.subscriber.park(id, 'poison message')).toBe(true);
    expect(h.server.nacks).toEqual([{ id, action: 'park', reason: 'parked by operator: poison message' }]);
    expect(h.subscriber.getSummary().parked).toBe(1);

    h.server.replayParked();
    await waitFor(() => h.server.acks.length === 1, { message: 'replayed and delivered' });
    expect(h.sinkCalls.map((d) => d.eventId)).toEqual([id, id]);
  });

  it('does not park a delivery whose sink call succeeds first', async () => {
    const release = gate();
    const h = setup({ sink: async () => (await release.promise, { outcome: 'ok' }) });
    const [id = ''] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 1, { message: 'in the sink' });

    const parked = h.subscriber.park(id, 'too late');
    release.open();
    expect(await parked).toBe(false);
    await waitFor(() => h.server.acks.length === 1, { message: 'acked' });
    expect(h.server.nacks).toEqual([]);
  });

  it('lists a delivery waiting for its retry with the sink’s reason, and no longer once an operator parked it', async () => {
    const h = setup({
      sink: async () => ({ outcome: 'retry', reason: 'HTTP 500 <img src=x onerror=alert(1)>' }),
      retryBackoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    const [id = ''] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.subscriber.listHeld().held[0]?.phase === 'waiting-retry', { message: 'waiting for its retry' });
    const delivery = h.sinkCalls[0]!;
    expect(h.subscriber.listHeld()).toEqual({
      total: 1,
      held: [
        {
          eventId: id,
          key: id,
          stream: 'orders',
          revision: delivery.revision,
          type: 'TestEvent',
          retryCount: 0,
          epoch: 1,
          since: expect.any(String),
          phase: 'waiting-retry',
          lastOutcome: 'sink asked to retry: HTTP 500 <img src=x onerror=alert(1)>',
        },
      ],
    });
    expect(await h.subscriber.park(id, 'poison')).toBe(true);
    expect(h.subscriber.listHeld()).toEqual({ held: [], total: 0 });
  });

  it('lists a copy in the sink, carries its start and failure to the retried copy, and lists nothing once it is acked', async () => {
    const firstCall = gate();
    const secondCall = gate();
    let calls = 0;
    const h = setup({
      sink: async () => {
        calls += 1;
        if (calls === 1) {
          await firstCall.promise;
          return { outcome: 'retry', reason: 'HTTP 503' };
        }
        await secondCall.promise;
        return { outcome: 'ok' };
      },
    });
    const [id = ''] = h.server.append(1);
    h.subscriber.start();
    await waitFor(() => h.sinkCalls.length === 1, { message: 'first copy in the sink' });
    const [first] = h.subscriber.listHeld().held;
    expect(first).toMatchObject({ eventId: id, retryCount: 0, phase: 'in-sink' });
    expect(first).not.toHaveProperty('lastOutcome');

    firstCall.open();
    await waitFor(() => h.sinkCalls.length === 2, { message: 'retried copy in the sink' });
    expect(h.subscriber.listHeld().held).toEqual([
      expect.objectContaining({ eventId: id, retryCount: 1, phase: 'in-sink', since: first!.since, lastOutcome: 'sink asked to retry: HTTP 503' }),
    ]);

    secondCall.open();
    await waitFor(() => h.server.acks.length === 1, { message: 'acked' });
    expect(h.subscriber.listHeld()).toEqual({ held: [], total: 0 });
  });

  it('lists an event nacked retry while its redelivery is on its way, and parks that redelivery when an operator parks it meanwhile', async () => {
    const server = createFakePersistentSubscription();
    // Retried copies are held back here, as if the server's redelivery were still on its way.
    const onTheirWay: Array<() => void> = [];
    const source: PersistentSubscriptionSource = {
      subscribe: (target, handlers) =>
        server.source.subscribe(target, {
          ...handlers,
          onEvent: (event) => (event.retryCount > 0 ? onTheirWay.push(() => handlers.onEvent(event)) : handlers.onEvent(event)),
        }),
    };
    const sinkCalls: Delivery[] = [];
    const subscriber = createDeduplicatingSubscriber({
      source,
      stream: 'orders',
      group: 'billing',
      store: createMemoryDedupStore(),
      sink: async (delivery) => (sinkCalls.push(delivery), { outcome: 'retry', reason: 'HTTP 503' }),
      logger,
      backoff: { initialMs: 1, maxMs: 5, jitter: 0 },
      retryBackoff: { initialMs: 1, maxMs: 1 },
    });
    running.push(subscriber);
    const [id = ''] = server.append(1);
    subscriber.start();
    await waitFor(() => onTheirWay.length === 1 && subscriber.listHeld().total === 1, { message: 'the redelivery on its way' });
    expect(subscriber.listHeld().held).toEqual([
      expect.objectContaining({ eventId: id, retryCount: 0, phase: 'waiting-retry', lastOutcome: 'sink asked to retry: HTTP 503' }),
    ]);

    const parked = subscriber.park(id, 'poison');
    onTheirWay.shift()!();
    expect(await parked).toBe(true);
    expect(server.nacks).toEqual([
      { id, action: 'retry', reason: 'sink asked to retry: HTTP 503' },
      { id, action: 'park', reason: 'parked by operator: poison' },
    ]);
    expect(sinkCalls).toHaveLength(1);
    await waitFor(() => subscriber.listHeld().total === 0, { message: 'nothing held' });
  });

  it('reports that an event not in flight here cannot be parked', async () => {
    const h = setup();
    h.subscriber.start();
    await waitFor(() => h.subscriber.getSummary().state === 'live', { message: 'live' });
    expect(await h.subscriber.park('00000000-0000-0000-0000-000000000000', 'nothing')).toBe(false);
  });
});
