'use client';

import { useMemo } from 'react';

import { formatRate } from '../format';
import { useLiveHistory } from '../hooks/use-live-stream';
import { Card } from '../ui/card';
import { ChartLiveLines } from './chart-live-lines';
import { toBacklogSeries, toBufferSeries, toThroughputSeries } from './throughput-series';

/** The three live charts of a subscription page, fed by the client-side snapshot history. */
export function LiveCharts({ stream, group, proxied }: { stream: string; group: string; proxied: boolean }) {
  const samples = useLiveHistory(stream, group);
  const throughput = useMemo(() => (proxied ? toThroughputSeries(samples) : []), [samples, proxied]);
  const backlog = useMemo(() => toBacklogSeries(samples), [samples]);
  const buffer = useMemo(() => toBufferSeries(samples), [samples]);
  return (
    <div className="grid-3" data-testid="live-charts">
      <Card title="Throughput" description="Per second through subwatch, up to the last 5 minutes.">
        <ChartLiveLines
          testId="throughput-chart"
          data={throughput}
          format={formatRate}
          unit="/s"
          emptyText={proxied ? 'Collecting live snapshots…' : 'Not proxied by subwatch: no delivery counters.'}
          lines={[
            { key: 'received', label: 'Received', color: 'var(--accent-muted)' },
            { key: 'delivered', label: 'Delivered', color: 'var(--accent)' },
            { key: 'duplicates', label: 'Duplicates suppressed', color: 'var(--warn)' },
          ]}
        />
      </Card>
      <Card title="Backlog" description="Uncheckpointed (a restart would redeliver) and parked.">
        <ChartLiveLines
          testId="backlog-chart"
          data={backlog}
          lines={[
            { key: 'uncheckpointed', label: 'Uncheckpointed', color: 'var(--accent)' },
            { key: 'parked', label: 'Parked', color: 'var(--bad)' },
          ]}
        />
      </Card>
      <Card title="In flight vs buffer" description="Unacked messages against the consumers' slots.">
        <ChartLiveLines
          testId="buffer-chart"
          data={buffer}
          lines={[
            { key: 'inFlight', label: 'In flight', color: 'var(--accent)' },
            { key: 'bufferSize', label: 'Buffer', color: 'var(--muted)', dashed: true },
          ]}
        />
      </Card>
    </div>
  );
}
