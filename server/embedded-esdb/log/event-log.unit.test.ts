import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { EventLog } from './event-log';
import type { ProposedEvent } from './recorded-event';

const proposed = (count: number): ProposedEvent[] =>
  Array.from({ length: count }, () => ({ id: randomUUID(), type: 't', isJson: true, data: Buffer.from('{}'), metadata: new Uint8Array() }));

describe('EventLog', () => {
  test('re-sending a committed batch with expected any returns the original result without writing', () => {
    const log = new EventLog(new FakeClock());
    const batch = proposed(2);
    const first = log.append('s', 'any', batch);

    const again = log.append('s', 'any', batch);

    expect(again).toEqual(first);
    expect(log.lastRevision('s')).toBe(1);
  });

  test('re-sending a batch with an exact revision that has moved on is idempotent when the ids match', () => {
    const log = new EventLog(new FakeClock());
    const batch = proposed(1);
    const first = log.append('s', 'no_stream', batch);
    log.append('s', 0, proposed(1));

    expect(log.append('s', 'no_stream', batch)).toEqual(first);
    expect(log.append('s', 'no_stream', proposed(1))).toMatchObject({ kind: 'wrong-expected-version', currentRevision: 1 });
  });

  test('a soft-deleted stream reads as missing and continues its revisions when written again', () => {
    const log = new EventLog(new FakeClock());
    log.append('s', 'any', proposed(2));

    log.deleteStream('s');
    expect(log.isMissing('s')).toBe(true);
    const result = log.append('s', 'no_stream', proposed(1));

    expect(result).toMatchObject({ kind: 'success', currentRevision: 2 });
    expect(log.readStream('s', { from: 'start', direction: 'forwards', maxCount: 10 }).map((e) => e.revision)).toEqual([2]);
  });

  test('$tb and $maxCount in the metadata stream hide older events', () => {
    const log = new EventLog(new FakeClock());
    log.append('s', 'any', proposed(5));
    const metadata = (json: object): ProposedEvent[] => [
      { id: randomUUID(), type: '$metadata', isJson: true, data: Buffer.from(JSON.stringify(json)), metadata: new Uint8Array() },
    ];

    log.append('$$s', 'any', metadata({ $tb: 2 }));
    expect(log.firstVisibleRevision('s')).toBe(2);
    log.append('$$s', 'any', metadata({ $maxCount: 2 }));

    expect(log.readStream('s', { from: 'start', direction: 'forwards', maxCount: 10 }).map((e) => e.revision)).toEqual([3, 4]);
  });
});
