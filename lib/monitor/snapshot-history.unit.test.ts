import { describe, expect, it } from 'vitest';

import { subscriberSummary, subscriptionSummary } from '../../test/factories/subscription-summary';
import type { SnapshotEvent } from '../api/schemas';
import {
  createSnapshotHistory,
  SNAPSHOT_HISTORY_MAX_ROWS,
  SNAPSHOT_HISTORY_MAX_SNAPSHOTS,
  SNAPSHOT_HISTORY_WINDOW_MS,
} from './snapshot-history';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');

function snapshotAt(ms: number, groups = 1): SnapshotEvent {
  return {
    ts: new Date(ms).toISOString(),
    subscriptions: Array.from({ length: groups }, (_, i) => subscriptionSummary({ group: `g${i}` })),
    serverError: null,
  };
}
const tsOf = (history: ReturnType<typeof createSnapshotHistory>) => history.list().map((s) => Date.parse(s.ts) - T0);

describe('createSnapshotHistory', () => {
  it('keeps five minutes, 300 snapshots and 6000 rows by default', () => {
    expect(SNAPSHOT_HISTORY_WINDOW_MS).toBe(300_000);
    expect(SNAPSHOT_HISTORY_MAX_SNAPSHOTS).toBe(300);
    expect(SNAPSHOT_HISTORY_MAX_ROWS).toBe(6_000);
  });

  it('lists the snapshots oldest first', () => {
    const history = createSnapshotHistory();
    for (let i = 0; i < 5; i++) history.push(snapshotAt(T0 + i * 1000));
    expect(tsOf(history)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(history.size).toBe(5);
  });

  it('drops snapshots that fall out of the window before the newest', () => {
    const history = createSnapshotHistory({ windowMs: 10_000 });
    for (let i = 0; i <= 12; i++) history.push(snapshotAt(T0 + i * 1000));
    // Window (2 s, 12 s]: the snapshot exactly 10 s older than the newest is out.
    expect(tsOf(history)).toEqual([3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000, 11_000, 12_000]);
  });

  it('keeps at most maxSnapshots, the newest', () => {
    const history = createSnapshotHistory();
    // 400 snapshots 500 ms apart all lie within five minutes: the count bound applies.
    for (let i = 0; i < 400; i++) history.push(snapshotAt(T0 + i * 500));
    expect(history.size).toBe(300);
    expect(tsOf(history)[0]).toBe(100 * 500);
    expect(tsOf(history).at(-1)).toBe(399 * 500);
  });

  it('bounds the rows over all snapshots, so many groups shorten the history', () => {
    const history = createSnapshotHistory();
    for (let i = 0; i < 300; i++) history.push(snapshotAt(T0 + i * 1000, 200));
    expect(history.rows).toBe(6_000);
    expect(history.size).toBe(30);
    expect(tsOf(history)[0]).toBe(270_000);
  });

  it('keeps the newest snapshot even when it alone exceeds the row bound', () => {
    const history = createSnapshotHistory({ maxRows: 10 });
    history.push(snapshotAt(T0, 3));
    history.push(snapshotAt(T0 + 1000, 50));
    expect(tsOf(history)).toEqual([1000]);
    expect(history.rows).toBe(50);
  });

  it('ignores a snapshot not newer than the last kept one and one with an invalid ts', () => {
    const history = createSnapshotHistory();
    history.push(snapshotAt(T0 + 1000));
    history.push(snapshotAt(T0 + 1000));
    history.push(snapshotAt(T0));
    history.push({ ...snapshotAt(T0 + 2000), ts: 'not a time' });
    expect(tsOf(history)).toEqual([1000]);
  });

  it('returns a copy: the caller cannot change what is kept', () => {
    const history = createSnapshotHistory();
    history.push(snapshotAt(T0));
    history.list().pop();
    expect(history.size).toBe(1);
  });

  it('keeps the connect payload near 3 MB with the default bounds, whatever the number of groups', () => {
    const history = createSnapshotHistory();
    const proxiedRow = subscriptionSummary({
      stream: 'orders-eu-west-production',
      group: 'billing-projection-v2',
      status: 'Live',
      health: { level: 'degraded', reasons: ['Parked count grew in the last 5 minutes (3 → 7)', 'Behind grows for 75 s'] },
      lastKnown: '123456789',
      lastCheckpointed: '123456000',
      behind: 789,
      ratePerSecond: 1234.5,
      proxied: true,
      subscriber: subscriberSummary({ epoch: 12, received: 9_876_543, delivered: 9_876_500, duplicatesSuppressed: 4321 }),
    });
    for (let i = 0; i < 300; i++) {
      history.push({ ts: new Date(T0 + i * 1000).toISOString(), subscriptions: Array(500).fill(proxiedRow), serverError: null });
    }
    const bytes = Buffer.byteLength(JSON.stringify({ snapshots: history.list() }));
    expect(history.rows).toBeLessThanOrEqual(6_000);
    expect(bytes).toBeLessThan(3.5 * 1024 * 1024);
  });

  it('fails fast on a non-positive bound', () => {
    expect(() => createSnapshotHistory({ maxSnapshots: 0 })).toThrow(/maxSnapshots/);
    expect(() => createSnapshotHistory({ maxRows: 1.5 })).toThrow(/maxRows/);
    expect(() => createSnapshotHistory({ windowMs: -1 })).toThrow(/windowMs/);
  });
});
