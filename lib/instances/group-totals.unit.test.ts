import { describe, expect, it } from 'vitest';
import type { Instance, InstanceGroup } from '../api/schemas';
import { toGroupTotals } from './group-totals';

const group = (stream: string, name: string, n: number): InstanceGroup => ({
  stream,
  group: name,
  state: 'live',
  epoch: n,
  received: 10 * n,
  delivered: 8 * n,
  duplicatesSuppressed: 2 * n,
  parked: n,
});

const instance = (instanceId: string, state: Instance['state'], groups: InstanceGroup[]): Instance => ({
  instanceId,
  host: instanceId,
  pid: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  version: '0.1.0',
  intervalMs: 5000,
  groups,
  lastSeen: '2026-01-01T00:01:00.000Z',
  state,
});

describe('toGroupTotals', () => {
  it('sums each group over every instance reporting it, live and stale, and counts the live ones', () => {
    const totals = toGroupTotals([
      instance('a', 'live', [group('orders', 'billing', 1), group('$all', 'audit', 5)]),
      instance('b', 'stale', [group('orders', 'billing', 2)]),
      instance('c', 'live', [group('orders', 'billing', 3)]),
    ]);
    expect(totals).toEqual([
      { stream: '$all', group: 'audit', instances: 1, liveInstances: 1, received: 50, delivered: 40, duplicatesSuppressed: 10, parked: 5 },
      { stream: 'orders', group: 'billing', instances: 3, liveInstances: 2, received: 60, delivered: 48, duplicatesSuppressed: 12, parked: 6 },
    ]);
  });

  it('has no groups when no instance is listed', () => {
    expect(toGroupTotals([])).toEqual([]);
  });
});
