import type { GroupTotals, Instance, InstanceGroup, InstancesResponse, InstanceState } from '@/lib/api/schemas';

/** One instance's view of one group: who it is, whether it still beats, and its counters. */
export interface GroupInstanceRow {
  instanceId: string;
  /** The instance that answered (the one this dashboard runs in). */
  self: boolean;
  host: string;
  pid: number;
  state: InstanceState;
  lastSeen: string;
  startedAt: string;
  group: InstanceGroup;
}

export interface GroupInstances {
  rows: GroupInstanceRow[];
  /** Summed over every listed instance (live and stale); null when none reports the group. */
  totals: GroupTotals | null;
}

const stateOrder: Record<InstanceState, number> = { live: 0, stale: 1 };

/**
 * The instances that report `stream`/`group` in their heartbeat, live ones first (then by id),
 * with the group's totals as the server aggregated them.
 */
export function toGroupInstances(response: InstancesResponse, stream: string, group: string): GroupInstances {
  const rows: GroupInstanceRow[] = [];
  for (const instance of response.instances) {
    const g = instance.groups.find((x) => x.stream === stream && x.group === group);
    if (!g) continue;
    rows.push({
      instanceId: instance.instanceId,
      self: instance.instanceId === response.self,
      host: instance.host,
      pid: instance.pid,
      state: instance.state,
      lastSeen: instance.lastSeen,
      startedAt: instance.startedAt,
      group: g,
    });
  }
  rows.sort((a, b) => stateOrder[a.state] - stateOrder[b.state] || (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
  const totals = response.groups.find((t) => t.stream === stream && t.group === group) ?? null;
  return { rows, totals };
}

/**
 * The overview's compact instances note: "1 instance", "3 instances", "3 instances, 1 stale";
 * null when none heartbeats into the store (yet).
 */
export function describeInstances(instances: readonly Pick<Instance, 'state'>[]): string | null {
  if (instances.length === 0) return null;
  const stale = instances.filter((i) => i.state === 'stale').length;
  const count = `${instances.length} instance${instances.length === 1 ? '' : 's'}`;
  return stale > 0 ? `${count}, ${stale} stale` : count;
}
