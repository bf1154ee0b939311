import { describe, expect, it } from 'vitest';

import type { Instance, InstanceGroup, InstancesResponse } from '@/lib/api/schemas';

import { describeInstances, toGroupInstances } from './group-instances';

function group(stream: string, name: string, delivered: number): InstanceGroup {
  return { stream, group: name, state: 'live', epoch: 3, received: delivered + 1, delivered, duplicatesSuppressed: 1, parked: 0 };
}

function instance(instanceId: string, state: Instance['state'], groups: InstanceGroup[]): Instance {
  return {
    instanceId,
    host: `host-${instanceId}`,
    pid: 100,
    startedAt: '2026-12-04T09:00:00.000Z',
    version: '0.1.0',
    intervalMs: 5000,
    groups,
    lastSeen: '2026-12-04T09:10:00.000Z',
    state,
  };
}

describe('toGroupInstances', () => {
  const response: InstancesResponse = {
    self: 'b',
    instances: [
      instance('a', 'stale', [group('orders', 'billing', 5)]),
      instance('b', 'live', [group('orders', 'billing', 7), group('orders', 'other', 1)]),
      instance('c', 'live', [group('orders', 'other', 2)]),
      instance('d', 'live', [group('orders', 'billing', 9)]),
    ],
    groups: [
      { stream: 'orders', group: 'billing', instances: 3, liveInstances: 2, received: 24, delivered: 21, duplicatesSuppressed: 3, parked: 0 },
      { stream: 'orders', group: 'other', instances: 2, liveInstances: 2, received: 5, delivered: 3, duplicatesSuppressed: 2, parked: 0 },
    ],
  };

  it('keeps only the instances reporting the group, live ones first, and marks the answering instance', () => {
    const { rows } = toGroupInstances(response, 'orders', 'billing');
    expect(rows.map((r) => [r.instanceId, r.state, r.self, r.group.delivered])).toEqual([
      ['b', 'live', true, 7],
      ['d', 'live', false, 9],
      ['a', 'stale', false, 5],
    ]);
  });

  it("takes the group's totals from the response", () => {
    expect(toGroupInstances(response, 'orders', 'billing').totals).toMatchObject({ instances: 3, liveInstances: 2, delivered: 21 });
  });

  it('has no rows and no totals for a group no instance reports (same group name on another stream included)', () => {
    expect(toGroupInstances(response, 'payments', 'billing')).toEqual({ rows: [], totals: null });
  });
});

describe('describeInstances', () => {
  it('counts the instances and names the stale ones', () => {
    expect(describeInstances([{ state: 'live' }])).toBe('1 instance');
    expect(describeInstances([{ state: 'live' }, { state: 'live' }, { state: 'live' }])).toBe('3 instances');
    expect(describeInstances([{ state: 'live' }, { state: 'stale' }, { state: 'live' }])).toBe('3 instances, 1 stale');
  });

  it('is null when no instance heartbeats', () => {
    expect(describeInstances([])).toBeNull();
  });
});
