import { describe, expect, it } from 'vitest';
import { heldResponseSchema } from '../api/schemas';
import { createRetryMemory, toHeldDeliveries, type HeldCopy } from './held-deliveries';

const copy = (eventId: string, since: string, overrides: Partial<HeldCopy> = {}): HeldCopy => ({
  eventId,
  key: `key-${eventId}`,
  stream: 'orders-1',
  revision: '7',
  type: 'OrderPlaced',
  retryCount: 0,
  epoch: 2,
  since: new Date(since),
  phase: 'in-sink',
  lastOutcome: undefined,
  ...overrides,
});

describe('toHeldDeliveries', () => {
  it('lists held deliveries oldest first with ISO times, and leaves lastOutcome out before a failure', () => {
    const result = toHeldDeliveries([
      copy('b', '2026-12-04T10:00:05.000Z', { phase: 'waiting-retry', retryCount: 3, lastOutcome: 'sink asked to retry: HTTP 503' }),
      copy('a', '2026-12-04T10:00:01.000Z'),
    ]);
    expect(result).toEqual({
      total: 2,
      held: [
        { eventId: 'a', key: 'key-a', stream: 'orders-1', revision: '7', type: 'OrderPlaced', retryCount: 0, epoch: 2, since: '2026-12-04T10:00:01.000Z', phase: 'in-sink' },
        {
          eventId: 'b',
          key: 'key-b',
          stream: 'orders-1',
          revision: '7',
          type: 'OrderPlaced',
          retryCount: 3,
          epoch: 2,
          since: '2026-12-04T10:00:05.000Z',
          phase: 'waiting-retry',
          lastOutcome: 'sink asked to retry: HTTP 503',
        },
      ],
    });
    expect(heldResponseSchema.parse(result)).toEqual(result);
  });

  it('keeps at most the limit, the oldest, and counts every held delivery in total', () => {
    const copies = Array.from({ length: 150 }, (_, i) => copy(`e${String(i).padStart(3, '0')}`, new Date(Date.UTC(2026, 11, 4, 10, 0, 150 - i)).toISOString()));
    const result = toHeldDeliveries(copies);
    expect(result.total).toBe(150);
    expect(result.held).toHaveLength(100);
    expect(result.held[0]!.eventId).toBe('e149');
    expect(result.held[99]!.eventId).toBe('e050');
    expect(toHeldDeliveries(copies, 2).held.map((h) => h.eventId)).toEqual(['e149', 'e148']);
  });

  it('orders copies held since the same moment by event id, then retry count, so polls show a stable order', () => {
    const at = '2026-12-04T10:00:00.000Z';
    const result = toHeldDeliveries([copy('b', at), copy('a', at, { retryCount: 2 }), copy('a', at, { retryCount: 1 })]);
    expect(result.held.map((h) => [h.eventId, h.retryCount])).toEqual([
      ['a', 1],
      ['a', 2],
      ['b', 0],
    ]);
  });
});

describe('retry memory', () => {
  const t0 = new Date('2026-12-04T10:00:00.000Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);
  const trace = (eventId: string, lastOutcome = 'HTTP 503') => {
    const { phase: _phase, ...rest } = copy(eventId, t0.toISOString(), { retryCount: 4 });
    return { ...rest, lastOutcome };
  };

  it('hands a retried copy’s trace to the next copy, and forgets it once the event is answered', () => {
    const memory = createRetryMemory();
    memory.remember(trace('e1'), later(2000));
    expect(memory.recall('e1', later(2100))).toEqual(trace('e1'));
    memory.forget('e1');
    expect(memory.recall('e1', later(2200))).toBeUndefined();
  });

  it('starts anew when the next copy comes more than the gap after the retry', () => {
    const memory = createRetryMemory({ gapMs: 60_000 });
    memory.remember(trace('e1'), t0);
    expect(memory.recall('e1', later(60_000))).toEqual(trace('e1'));
    expect(memory.recall('e1', later(60_001))).toBeUndefined();
  });

  it('lists, and recalls within a window, only the events nacked within it: redeliveries still on their way', () => {
    const memory = createRetryMemory();
    memory.remember(trace('old'), t0);
    memory.remember(trace('recent'), later(4000));
    expect(memory.awaiting(later(6000), 5000).map((t) => t.eventId)).toEqual(['recent']);
    expect(memory.recall('old', later(6000), 5000)).toBeUndefined();
    expect(memory.recall('recent', later(6000), 5000)).toEqual(trace('recent'));
    // Outside the window it still hands its trace on to a later copy (within the gap).
    expect(memory.recall('old', later(6000))).toEqual(trace('old'));
  });

  it('keeps at most its capacity, dropping the entry remembered longest ago', () => {
    const memory = createRetryMemory({ capacity: 2 });
    memory.remember(trace('e1', 'one'), t0);
    memory.remember(trace('e2', 'two'), t0);
    memory.remember(trace('e1', 'one again'), t0);
    memory.remember(trace('e3', 'three'), t0);
    expect(['e1', 'e2', 'e3'].map((id) => memory.recall(id, t0)?.lastOutcome)).toEqual(['one again', undefined, 'three']);
  });
});
