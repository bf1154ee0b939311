'use client';

import { useMemo } from 'react';

import { formatRate } from '../format';
import { useLiveFreshness } from '../hooks/use-live-freshness';
import { useLiveHistory } from '../hooks/use-live-stream';
import { StaleMark } from '../layout/stale-mark';
import { Card } from '../ui/card';
import { ChartLiveLines } from './chart-live-lines';
import { CHART_SERIES } from './chart-theme';
import { toBacklogSeries, toBufferSeries, toThroughputSeries } from './throughput-series';

/**
 * The three live charts of a subscription page, fed by the client-side snapshot history. While
 * the live stream is down (or silent) they are dimmed and marked stale with the last sample's time.
 */
export function LiveCharts({ stream, group, proxied }: { stream: string; group: string; proxied: boolean }) {
  const samples = useLiveHistory(stream, group);
  const freshness = useLiveFreshness();
  const mark = freshness.reason && (
    <StaleMark reason={freshness.reason} asOf={samples.at(-1)?.t ?? null} note="The charts resume with the next snapshot." />
  );
  const throughput = useMemo(() => (proxied ? toThroughputSeries(samples) : []), [samples, proxied]);
  const backlog = useMemo(() => toBacklogSeries(samples), [samples]);
  const buffer = useMemo(() => toBufferSeries(samples), [samples]);
  return (
    <div className={`grid-3${freshness.stale ? ' is-stale' : ''}`} data-testid="live-charts" data-stale={freshness.stale}>
      <Card title="Throughput" description="Per second through subwatch, up to the last 5 minutes." actions={mark}>
        <ChartLiveLines
          testId="throughput-chart"
          data={throughput}
          format={formatRate}
          unit="/s"
          emptyText={proxied ? 'Collecting live snapshots…' : 'Not proxied by subwatch: no delivery counters.'}
          lines={[
            { key: 'received', label: 'Received', ...CHART_SERIES.received },
            { key: 'delivered', label: 'Delivered', ...CHART_SERIES.delivered },
            { key: 'duplicates', label: 'Duplicates suppressed', ...CHART_SERIES.duplicates },
          ]}
        />
      </Card>
      <Card title="Backlog" description="Uncheckpointed (a restart would redeliver) and parked." actions={mark}>
        <ChartLiveLines
          testId="backlog-chart"
          data={backlog}
          lines={[
            { key: 'uncheckpointed', label: 'Uncheckpointed', ...CHART_SERIES.uncheckpointed },
            { key: 'parked', label: 'Parked', ...CHART_SERIES.parked },
          ]}
        />
      </Card>
      <Card title="In flight vs buffer" description="Unacked messages against the consumers' slots." actions={mark}>
        <ChartLiveLines
          testId="buffer-chart"
          data={buffer}
          lines={[
            { key: 'inFlight', label: 'In flight', ...CHART_SERIES.inFlight },
            { key: 'bufferSize', label: 'Buffer', ...CHART_SERIES.bufferSize },
          ]}
        />
      </Card>
    </div>
  );
}
