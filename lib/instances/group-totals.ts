/**
 * Sums each group's counters over the instances that report it (issue 8: "aggregates the
 * group's totals"). Stale instances count too: their counters are work that was done; an
 * instance leaves the totals when the store drops it as gone.
 */
import type { GroupTotals, Instance } from '../api/schemas';

/** One entry per (stream, group), sorted by stream then group. */
export function toGroupTotals(instances: readonly Instance[]): GroupTotals[] {
  const totals = new Map<string, GroupTotals>();
  for (const instance of instances) {
    for (const g of instance.groups) {
      const id = `${g.stream}\u0000${g.group}`;
      const sum = totals.get(id) ?? {
        stream: g.stream,
        group: g.group,
        instances: 0,
        liveInstances: 0,
        received: 0,
        delivered: 0,
        duplicatesSuppressed: 0,
        parked: 0,
      };
      sum.instances += 1;
      if (instance.state === 'live') sum.liveInstances += 1;
      sum.received += g.received;
      sum.delivered += g.delivered;
      sum.duplicatesSuppressed += g.duplicatesSuppressed;
      sum.parked += g.parked;
      totals.set(id, sum);
    }
  }
  return [...totals.values()].sort((a, b) =>
    a.stream === b.stream ? compare(a.group, b.group) : compare(a.stream, b.stream),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
