import { describe, expect, it } from 'vitest';

import { historyKey, toSample } from '@/components/charts/live-history';
import { subscriptionSummary } from '@/test/factories/subscription-summary';

import { createLiveHistoryStore } from './use-live-stream';

const at = (s: number) => new Date(Date.UTC(2026, 11, 4, 10, 0, 0) + s * 1000).toISOString();
const snapshot = (s: number, rate = s) => ({ ts: at(s), subscriptions: [subscriptionSummary({ ratePerSecond: rate })], serverError: null });
const key = historyKey('orders', 'billing');

describe('createLiveHistoryStore: the server history on connect', () => {
  it('fills the store from the history, then the snapshot sent with it adds nothing twice', () => {
    const store = createLiveHistoryStore();
    let notified = 0;
    store.subscribe(() => (notified += 1));
    store.mergeServerHistory([snapshot(0), snapshot(1), snapshot(2)]);
    // The current snapshot sent right after the history is its newest entry again.
    const latest = snapshot(2);
    store.push(latest.ts, latest.subscriptions);
    const next = snapshot(3);
    store.push(next.ts, next.subscriptions);
    expect(store.get().get(key)?.map((p) => p.ratePerSecond)).toEqual([0, 1, 2, 3]);
    expect(notified).toBe(3);
  });

  it('a reconnect\'s history fills the gap while disconnected without duplicating points', () => {
    const store = createLiveHistoryStore();
    store.mergeServerHistory([snapshot(0), snapshot(1)]);
    store.push(at(2), snapshot(2).subscriptions);
    // Disconnected for 3..5 s; the server kept everything.
    store.mergeServerHistory([0, 1, 2, 3, 4, 5].map((s) => snapshot(s)));
    store.push(at(6), snapshot(6).subscriptions);
    expect(store.get().get(key)?.map((p) => p.t)).toEqual([0, 1, 2, 3, 4, 5, 6].map((s) => Date.parse(at(s))));
  });

  it('keeps what sessionStorage restored before the server history', () => {
    const store = createLiveHistoryStore();
    const restored = new Map([[key, [-400, 0, 1].map((s) => toSample(Date.parse(at(s)), subscriptionSummary({ ratePerSecond: s })))]]);
    store.restore(restored);
    expect(store.get().get(key)).toHaveLength(3);
    store.mergeServerHistory([snapshot(1), snapshot(2), snapshot(3)]);
    // -400 s is outside the five-minute window before the newest sample (3 s).
    expect(store.get().get(key)?.map((p) => p.ratePerSecond)).toEqual([0, 1, 2, 3]);
  });

  it('ignores an empty history', () => {
    const store = createLiveHistoryStore();
    let notified = 0;
    store.subscribe(() => (notified += 1));
    store.mergeServerHistory([]);
    expect(notified).toBe(0);
    expect(store.get().size).toBe(0);
  });
});
