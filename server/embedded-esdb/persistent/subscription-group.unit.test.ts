import { describe, expect, test } from 'vitest';
import { parseLinkData } from '../log/recorded-event';
import { createGroupHarness } from '../testing/group-harness';
import { StreamSource } from './event-source/stream-source';
import { SubscriptionGroup } from './subscription-group';

describe('SubscriptionGroup', () => {
  test('a group that reads a tombstoned stream faults: every client is dropped on connect (server read-error path)', () => {
    const h = createGroupHarness();
    h.append(3);
    h.log.tombstoneStream(h.stream);
    h.group.load();

    expect(() => h.connect()).toThrow(expect.objectContaining({ kind: 'dropped' }));
    expect(() => h.connect()).toThrow(expect.objectContaining({ kind: 'dropped' }));
  });

  test('a soft-deleted stream reads as no stream: the group waits for new events without faulting', () => {
    const h = createGroupHarness();
    h.append(2);
    h.log.deleteStream(h.stream);
    h.group.load();
    const c = h.connect();
    expect(c.deliveries).toEqual([]);
    h.append(1);
    expect(c.summary()).toEqual(['2/0']);
    expect(c.drops).toEqual([]);
  });

  test('retried messages are pushed before newer messages', () => {
    const h = createGroupHarness();
    h.append(3);
    h.group.load();
    const c = h.connect(2);
    expect(c.summary()).toEqual(['0/0', '1/0']);

    h.group.nack(h.idsOf(c.deliveries.slice(1, 2)), 'retry', '');

    expect(c.summary()).toEqual(['0/0', '1/0', '1/1']);
    h.group.ack(h.idsOf(c.deliveries.slice(0, 1)));
    expect(c.summary()).toEqual(['0/0', '1/0', '1/1', '2/0']);
  });

  test('an expired message is parked instead of retried once it reached maxRetryCount', () => {
    const h = createGroupHarness({ messageTimeoutMs: 1000, maxRetryCount: 1 });
    h.append(1);
    h.group.load();
    const c = h.connect();

    h.clock.advance(1000);
    h.group.tick();
    expect(c.summary()).toEqual(['0/0', '0/1']);
    h.clock.advance(1000);
    h.group.tick();

    expect(c.summary()).toEqual(['0/0', '0/1']);
    expect(h.group.getInfo().parkedMessageCount).toBe(1);
    expect(h.group.getInfo().outstandingMessagesCount).toBe(0);
  });

  test('a message is not expired before its timeout has fully elapsed', () => {
    const h = createGroupHarness({ messageTimeoutMs: 1000 });
    h.append(1);
    h.group.load();
    const c = h.connect();

    h.clock.advance(999);
    h.group.tick();

    expect(c.summary()).toEqual(['0/0']);
  });

  test('a disconnect retries in-flight messages with retryCount + 1 even past maxRetryCount', () => {
    const h = createGroupHarness({ maxRetryCount: 0 });
    h.append(2);
    h.group.load();
    const first = h.connect();

    h.group.disconnect(first.connection);
    const second = h.connect();

    expect(second.summary()).toEqual(['0/1', '1/1']);
    expect(h.group.getInfo().parkedMessageCount).toBe(0);
  });

  test('a late ack of a timed-out message acknowledges its redelivery', () => {
    const h = createGroupHarness({ messageTimeoutMs: 1000 });
    h.append(1);
    h.group.load();
    const c = h.connect();
    h.clock.advance(1000);
    h.group.tick();
    expect(c.summary()).toEqual(['0/0', '0/1']);

    h.group.ack(h.idsOf(c.deliveries.slice(0, 1)));

    expect(h.group.getInfo().outstandingMessagesCount).toBe(0);
  });

  test('RoundRobin alternates between connections with free slots', () => {
    const h = createGroupHarness({ consumerStrategy: 'RoundRobin' });
    h.group.load();
    const a = h.connect(10, 'a');
    const b = h.connect(10, 'b');

    h.append(4);

    expect(a.summary()).toEqual(['0/0', '2/0']);
    expect(b.summary()).toEqual(['1/0', '3/0']);
  });

  test('DispatchToSingle fills one connection before using the next', () => {
    const h = createGroupHarness({ consumerStrategy: 'DispatchToSingle' });
    h.group.load();
    const a = h.connect(2, 'a');
    const b = h.connect(2, 'b');

    h.append(3);

    expect(a.summary()).toEqual(['0/0', '1/0']);
    expect(b.summary()).toEqual(['2/0']);
  });

  test('a group started from END with no checkpoint delivers only events appended after it loaded', () => {
    const h = createGroupHarness({ startFrom: -1 });
    h.append(2);
    h.group.load();
    const c = h.connect();

    h.append(1);

    expect(c.summary()).toEqual(['2/0']);
  });

  test('a group started from a revision delivers from that revision inclusive', () => {
    const h = createGroupHarness({ startFrom: 3 });
    h.append(5);
    h.group.load();

    expect(h.connect().summary()).toEqual(['3/0', '4/0']);
  });

  test('a reload resumes after the checkpointed event and starts retry counts at 0', () => {
    const h = createGroupHarness({ maxCheckPointCount: 2, minCheckPointCount: 1, checkPointAfterMs: 0 });
    h.append(4);
    h.group.load();
    const c = h.connect();
    h.group.ack(h.idsOf(c.deliveries.slice(0, 2)));
    h.group.nack(h.idsOf(c.deliveries.slice(3, 4)), 'retry', '');
    expect(h.group.getInfo().lastCheckpointedPosition).toBe('1');

    const reloaded = new SubscriptionGroup({
      log: h.log,
      clock: h.clock,
      source: new StreamSource(h.log, h.stream),
      group: 'g',
      settings: h.group.settings,
    });
    reloaded.load();
    const deliveries: string[] = [];
    reloaded.connect(
      { connectionName: 'c', username: 'anonymous', bufferSize: 10 },
      { deliver: (d) => deliveries.push(`${d.resolved.event!.revision}/${d.retryCount}`), drop: () => undefined },
    );

    expect(deliveries).toEqual(['2/0', '3/0']);
  });

  test('the checkpoint covers only the contiguous acked prefix', () => {
    const h = createGroupHarness({ maxCheckPointCount: 1, minCheckPointCount: 1, checkPointAfterMs: 0 });
    h.append(3);
    h.group.load();
    const c = h.connect();

    h.group.ack(h.idsOf([c.deliveries[0]!, c.deliveries[2]!]));

    expect(h.group.getInfo().lastCheckpointedPosition).toBe('0');
  });

  test('a time-based checkpoint waits for checkPointLowerBound processed messages', () => {
    const h = createGroupHarness({ maxCheckPointCount: 100, minCheckPointCount: 3, checkPointAfterMs: 1000 });
    h.append(3);
    h.group.load();
    const c = h.connect();
    h.group.ack(h.idsOf(c.deliveries.slice(0, 2)));
    h.clock.advance(5000);
    h.group.tick();
    expect(h.group.getInfo().lastCheckpointedPosition).toBe('');

    h.group.ack(h.idsOf(c.deliveries.slice(2, 3)));
    h.group.tick();

    expect(h.group.getInfo().lastCheckpointedPosition).toBe('2');
  });

  test('a live group that fills its history buffer falls back to Behind and catches up by paging', () => {
    const h = createGroupHarness({ historyBufferSize: 4, readBatchSize: 2 });
    h.group.load();
    h.append(6);
    expect(h.group.getInfo().status).toBe('Behind');

    const c = h.connect(10);

    expect(c.summary()).toEqual(['0/0', '1/0', '2/0', '3/0', '4/0', '5/0']);
    expect(h.group.getInfo().status).toBe('Live');
  });

  test('replay without stopAt moves every parked message back and truncates the parked stream', () => {
    const h = createGroupHarness();
    h.append(3);
    h.group.load();
    const c = h.connect();
    h.group.nack(h.idsOf(c.deliveries), 'park', 'bad');
    expect(h.group.getInfo().parkedMessageCount).toBe(3);

    h.group.replayParked(undefined);

    const replayed = c.deliveries.slice(3);
    expect(replayed.map((d) => d.retryCount)).toEqual([0, 0, 0]);
    expect(replayed.map((d) => d.resolved.event!.revision)).toEqual([0, 1, 2]);
    expect(replayed.map((d) => parseLinkData(d.resolved.link!.data))).toEqual(
      [0, 1, 2].map((revision) => ({ revision, streamId: h.stream })),
    );
    expect(h.group.getInfo().parkedMessageCount).toBe(0);
  });

  test('shutdown drops every connection with the dropped error', () => {
    const h = createGroupHarness();
    h.group.load();
    const c = h.connect();

    h.group.shutdown();

    expect(c.drops.map((e) => e.kind)).toEqual(['dropped']);
  });

  test('connecting beyond maxSubscriberCount fails with maximum-subscribers-reached', () => {
    const h = createGroupHarness({ maxSubscriberCount: 1 });
    h.group.load();
    h.connect();

    expect(() => h.connect()).toThrow(expect.objectContaining({ kind: 'maximum-subscribers-reached' }));
  });

  test('with resolveLinkTos a $> link is delivered as link plus event and acked by the link id', () => {
    const h = createGroupHarness({ resolveLinkTos: true });
    const [target] = h.append(1);
    h.log.append(h.stream, 'any', [
      { id: 'link-1', type: '$>', isJson: false, data: Buffer.from(`0@${h.stream}`), metadata: new Uint8Array() },
    ]);
    h.group.load();
    const c = h.connect();

    const linkDelivery = c.deliveries[1]!;
    expect(linkDelivery.resolved.link?.id).toBe('link-1');
    expect(linkDelivery.resolved.event?.id).toBe(target!.id);
    expect(linkDelivery.position).toBe(linkDelivery.resolved.link!.position);
    h.group.ack(['link-1']);
    expect(h.group.getInfo().outstandingMessagesCount).toBe(1);
  });

  test('Pinned keeps the messages of one source stream on one connection', () => {
    const h = createGroupHarness({ consumerStrategy: 'Pinned' });
    h.group.load();
    const a = h.connect(10, 'a');
    const b = h.connect(10, 'b');

    h.append(6);

    expect([a.deliveries.length, b.deliveries.length].sort()).toEqual([0, 6]);
  });

  test('extraStatistics reports push-to-ack latency measurements after the first ack', () => {
    const h = createGroupHarness({ extraStatistics: true });
    h.append(1);
    h.group.load();
    const c = h.connect();
    expect(h.group.getInfo().connections[0]!.observedMeasurements).toEqual([]);

    h.clock.advance(40);
    h.group.ack(h.idsOf(c.deliveries));

    const measurements = new Map(h.group.getInfo().connections[0]!.observedMeasurements.map((m) => [m.key, m.value]));
    expect(measurements.get('Quintile 3')).toBe(40);
    expect(measurements.get('Mean')).toBe(40);
  });
});
