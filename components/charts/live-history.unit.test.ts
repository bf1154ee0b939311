import { describe, expect, it } from 'vitest';

import { subscriberSummary } from '../../test/factories/subscription-summary';

import { appendSnapshot, historyKey, type LiveHistory } from './live-history';
import { summary } from './test-samples';

const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 19, 0, 0) + s * 1000).toISOString();

describe('appendSnapshot', () => {
  it('keeps one sample per snapshot per group, with the proxy counters when proxied', () => {
    let h: LiveHistory = new Map();
    const proxied = summary({
      group: 'p',
      proxied: true,
      subscriber: subscriberSummary({ received: 5, delivered: 4, duplicatesSuppressed: 1 }),
    });
    h = appendSnapshot(h, at(0), [summary({ ratePerSecond: 2 }), proxied]);
    h = appendSnapshot(h, at(1), [summary({ ratePerSecond: 3 }), proxied]);
    expect(h.get(historyKey('orders', 'billing'))?.map((p) => p.ratePerSecond)).toEqual([2, 3]);
    expect(h.get(historyKey('orders', 'p'))?.[0]).toMatchObject({ received: 5, delivered: 4, duplicatesSuppressed: 1 });
    expect(h.get(historyKey('orders', 'billing'))?.[0]).toMatchObject({ received: null, delivered: null });
  });

  it('is bounded by the time window and the sample cap', () => {
    let h: LiveHistory = new Map();
    for (let s = 0; s < 100; s++) h = appendSnapshot(h, at(s), [summary()], { windowMs: 30_000, maxSamples: 1000 });
    const kept = h.get(historyKey('orders', 'billing'))!;
    expect(kept).toHaveLength(30);
    expect(kept[0]!.t).toBe(Date.parse(at(70)));
    for (let s = 100; s < 200; s++) h = appendSnapshot(h, at(s), [summary()], { windowMs: 1e9, maxSamples: 20 });
    expect(h.get(historyKey('orders', 'billing'))).toHaveLength(20);
  });

  it('forgets groups that left the snapshot and ignores replayed or invalid frames', () => {
    let h: LiveHistory = appendSnapshot(new Map(), at(5), [summary(), summary({ group: 'gone' })]);
    h = appendSnapshot(h, at(6), [summary()]);
    expect([...h.keys()]).toEqual([historyKey('orders', 'billing')]);
    h = appendSnapshot(h, at(3), [summary({ ratePerSecond: 9 })]);
    expect(h.get(historyKey('orders', 'billing'))!.map((p) => p.ratePerSecond)).toEqual([0, 0]);
    expect(appendSnapshot(h, 'not a date', [])).toBe(h);
  });

  it('does not mutate the previous history', () => {
    const h1 = appendSnapshot(new Map(), at(0), [summary()]);
    const before = h1.get(historyKey('orders', 'billing'));
    appendSnapshot(h1, at(1), [summary()]);
    expect(h1.get(historyKey('orders', 'billing'))).toBe(before);
    expect(before).toHaveLength(1);
  });
});
