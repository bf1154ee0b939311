import { describe, expect, it } from 'vitest';

import { subscriberSummary } from '../../test/factories/subscription-summary';

import { appendSnapshot, historyKey, mergeHistory, restoreHistory, serializeHistory, type LiveHistory } from './live-history';
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

describe('serializeHistory / restoreHistory', () => {
  const now = Date.parse(at(600));

  it('round-trips the samples of every group', () => {
    let h: LiveHistory = new Map();
    h = appendSnapshot(h, at(590), [summary({ ratePerSecond: 2 }), summary({ group: 'other', ratePerSecond: 5 })]);
    h = appendSnapshot(h, at(591), [summary({ ratePerSecond: 3 }), summary({ group: 'other', ratePerSecond: 6 })]);
    const back = restoreHistory(serializeHistory(h), now);
    expect([...back.keys()]).toEqual([historyKey('orders', 'billing'), historyKey('orders', 'other')]);
    expect(back.get(historyKey('orders', 'billing'))).toEqual(h.get(historyKey('orders', 'billing')));
  });

  it('drops samples older than the window before now and samples from the future', () => {
    let h: LiveHistory = new Map();
    for (const s of [200, 301, 599, 700]) h = appendSnapshot(h, at(s), [summary()], { windowMs: 10_000_000 });
    const back = restoreHistory(serializeHistory(h), now, { windowMs: 300_000 });
    expect(back.get(historyKey('orders', 'billing'))?.map((p) => p.t)).toEqual([Date.parse(at(301)), Date.parse(at(599))]);
  });

  it('gives an empty history for nothing saved, broken text or another shape', () => {
    expect(restoreHistory(null, now).size).toBe(0);
    expect(restoreHistory('{not json', now).size).toBe(0);
    expect(restoreHistory(JSON.stringify({ v: 2, groups: [] }), now).size).toBe(0);
    expect(restoreHistory(JSON.stringify({ v: 1, groups: [['k', [{ t: 'x' }]]] }), now).size).toBe(0);
  });
});

describe('mergeHistory', () => {
  it('puts restored samples before the received ones and drops restored ones that overlap', () => {
    const key = historyKey('orders', 'billing');
    const older = appendSnapshot(appendSnapshot(new Map(), at(1), [summary({ ratePerSecond: 1 })]), at(5), [summary({ ratePerSecond: 5 })]);
    const newer = appendSnapshot(new Map(), at(5), [summary({ ratePerSecond: 50 })]);
    const merged = mergeHistory(older, newer);
    expect(merged.get(key)?.map((p) => p.ratePerSecond)).toEqual([1, 50]);
  });

  it('keeps groups that only the restored history has', () => {
    const older = appendSnapshot(new Map(), at(1), [summary({ group: 'gone' })]);
    expect(mergeHistory(older, new Map()).has(historyKey('orders', 'gone'))).toBe(true);
  });
});
