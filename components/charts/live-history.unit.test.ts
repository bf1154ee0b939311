import { describe, expect, it } from 'vitest';

import { subscriberSummary } from '../../test/factories/subscription-summary';

import {
  appendSnapshot,
  historyFromSnapshots,
  historyKey,
  mergeHistory,
  mergeHistoryByTime,
  restoreHistory,
  serializeHistory,
  type LiveHistory,
} from './live-history';
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

describe('historyFromSnapshots', () => {
  const key = historyKey('orders', 'billing');
  const snap = (s: number, over: Parameters<typeof summary>[0] = {}) => ({ ts: at(s), subscriptions: [summary(over)] });

  it('gives one sample per snapshot per group, oldest first, like appending them one by one', () => {
    const snapshots = [snap(0, { ratePerSecond: 1 }), snap(1, { ratePerSecond: 2 }), snap(2, { ratePerSecond: 3 })];
    const built = historyFromSnapshots(snapshots);
    expect(built.get(key)?.map((p) => p.ratePerSecond)).toEqual([1, 2, 3]);
    let appended: LiveHistory = new Map();
    for (const s of snapshots) appended = appendSnapshot(appended, s.ts, s.subscriptions);
    expect(built).toEqual(appended);
  });

  it('skips snapshots out of order or with a bad ts and keeps only the groups of the newest snapshot', () => {
    const built = historyFromSnapshots([
      { ts: at(0), subscriptions: [summary({ ratePerSecond: 1 }), summary({ group: 'deleted' })] },
      snap(2, { ratePerSecond: 2 }),
      snap(1, { ratePerSecond: 99 }),
      { ts: 'not a time', subscriptions: [summary({ ratePerSecond: 98 })] },
      snap(3, { ratePerSecond: 3 }),
    ]);
    expect(built.get(key)?.map((p) => p.ratePerSecond)).toEqual([1, 2, 3]);
    expect(built.has(historyKey('orders', 'deleted'))).toBe(false);
  });

  it('is bounded by the window before the newest snapshot and the sample cap', () => {
    const snapshots = Array.from({ length: 100 }, (_, s) => snap(s));
    expect(historyFromSnapshots(snapshots, { windowMs: 30_000 }).get(key)?.map((p) => p.t)).toEqual(
      Array.from({ length: 30 }, (_, i) => Date.parse(at(70 + i))),
    );
    expect(historyFromSnapshots(snapshots, { maxSamples: 20 }).get(key)?.[0]?.t).toBe(Date.parse(at(80)));
  });

  it('gives an empty history for no snapshots', () => {
    expect(historyFromSnapshots([]).size).toBe(0);
  });
});

describe('mergeHistoryByTime', () => {
  const key = historyKey('orders', 'billing');
  const build = (points: Array<[number, number]>) =>
    historyFromSnapshots(points.map(([s, rate]) => ({ ts: at(s), subscriptions: [summary({ ratePerSecond: rate })] })));

  it('interleaves both by time with one sample per t (the incoming one on a tie)', () => {
    // Restored from sessionStorage: 0..2 s and 6 s; the server kept 2..6 s.
    const current = build([[0, 0], [1, 1], [2, 2], [6, 6]]);
    const incoming = build([[2, 20], [3, 30], [4, 40], [5, 50], [6, 60]]);
    const merged = mergeHistoryByTime(current, incoming).get(key)!;
    expect(merged.map((p) => p.t)).toEqual([0, 1, 2, 3, 4, 5, 6].map((s) => Date.parse(at(s))));
    expect(merged.map((p) => p.ratePerSecond)).toEqual([0, 1, 20, 30, 40, 50, 60]);
  });

  it('adds nothing when the same history arrives again (a reconnecting EventSource)', () => {
    const incoming = build([[1, 1], [2, 2], [3, 3]]);
    const once = mergeHistoryByTime(new Map(), incoming);
    const twice = mergeHistoryByTime(once, incoming);
    expect(twice.get(key)).toHaveLength(3);
    expect(twice).toEqual(once);
  });

  it('keeps the window before the group\'s newest sample and the sample cap', () => {
    const current = build([[0, 0], [1, 1]]);
    const incoming = build(Array.from({ length: 20 }, (_, i) => [i + 10, i] as [number, number]));
    expect(mergeHistoryByTime(current, incoming, { windowMs: 15_000 }).get(key)?.[0]?.t).toBe(Date.parse(at(15)));
    expect(mergeHistoryByTime(current, incoming, { maxSamples: 5 }).get(key)?.map((p) => p.t)).toEqual(
      [25, 26, 27, 28, 29].map((s) => Date.parse(at(s))),
    );
  });

  it('keeps groups only the current history has and adds groups only the incoming one has', () => {
    const current = historyFromSnapshots([{ ts: at(0), subscriptions: [summary({ group: 'a' })] }]);
    const incoming = historyFromSnapshots([{ ts: at(1), subscriptions: [summary({ group: 'b' })] }]);
    const merged = mergeHistoryByTime(current, incoming);
    expect([...merged.keys()].sort()).toEqual([historyKey('orders', 'a'), historyKey('orders', 'b')]);
  });

  it('does not mutate either input', () => {
    const current = build([[0, 0]]);
    const incoming = build([[1, 1]]);
    mergeHistoryByTime(current, incoming);
    expect(current.get(key)).toHaveLength(1);
    expect(incoming.get(key)).toHaveLength(1);
  });
});
