'use client';

import { useMemo } from 'react';

import { useInstances } from '../hooks/use-instances';
import { Card } from '../ui/card';
import { toGroupInstances } from './group-instances';
import { InstancesTable } from './instances-table';

/**
 * "Instances" on the subscription page: which subwatch instances sharing the dedup store serve
 * this group, whether they still heartbeat, their counters and the group's totals (issue 8).
 * Shown for every group this instance proxies, and for others that some instance reports.
 */
export function InstancesCard({ stream, group, proxied }: { stream: string; group: string; proxied: boolean }) {
  const query = useInstances();
  const instances = useMemo(() => (query.data ? toGroupInstances(query.data, stream, group) : null), [query.data, stream, group]);
  // A group this instance does not proxy gets the card only when another instance serves it.
  if (!proxied && !(instances && instances.rows.length > 0)) return null;
  return (
    <Card
      title="Instances"
      description="subwatch instances sharing the dedup store that serve this group, from their heartbeats (every 5 s). Counters are per instance, since it started."
      testId="instances-card"
    >
      {instances && instances.rows.length > 0 ? (
        <InstancesTable instances={instances} />
      ) : (
        <p className="muted pad" data-testid="instances-empty">
          {query.error
            ? `Could not read the instances: ${query.error.message}`
            : query.isPending
              ? 'Loading…'
              : 'No instance has reported this group yet (the first heartbeat comes within 5 s of start).'}
        </p>
      )}
    </Card>
  );
}
