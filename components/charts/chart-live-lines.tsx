'use client';

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { formatClock, formatCount } from '../format';
import { agoLabel, liveWindow, windowTicks, yTicks } from './chart-scale';
import { CHART_AXIS_LINE, CHART_TOOLTIP_STYLE } from './chart-theme';
import { HISTORY_WINDOW_MS } from './live-history';

export interface LiveLine<K extends string> {
  key: K;
  label: string;
  color: string;
  dashed?: boolean;
}

type Point<K extends string> = { t: number } & { [key in K]: number | null };

/**
 * A live line chart over the last minutes (1, 2, then 5 as history accumulates): window ending at
 * the newest point, round y ticks, fixed axis widths and a legend showing the latest values, so nothing shifts while data streams in.
 * Presentational: points are shaped by the sibling *-series.ts functions.
 */
export function ChartLiveLines<K extends string>({
  data,
  lines,
  testId,
  format = formatCount,
  unit = '',
  emptyText = 'Collecting live snapshots…',
}: {
  data: Point<K>[];
  lines: LiveLine<K>[];
  testId: string;
  format?: (value: number) => string;
  unit?: string;
  emptyText?: string;
}) {
  const newest = data.at(-1);
  const first = data[0];
  const window = liveWindow(newest && first ? newest.t - first.t : 0, HISTORY_WINDOW_MS);
  let max = 0;
  for (const point of data) for (const line of lines) max = Math.max(max, point[line.key] ?? 0);
  const ticks = yTicks(max);
  return (
    <div data-testid={testId} data-points={data.length} data-first-t={first?.t}>
      {newest ? (
        <div className="chart chart-live">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} accessibilityLayer>
              <CartesianGrid vertical={false} stroke="var(--border)" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[newest.t - window.windowMs, newest.t]}
                ticks={windowTicks(newest.t, window)}
                tickFormatter={(t: number) => agoLabel(t, newest.t)}
                tickLine={false}
                axisLine={CHART_AXIS_LINE}
                tick={{ fill: 'var(--muted)', fontSize: 11 }}
                allowDataOverflow
              />
              <YAxis
                allowDecimals={false}
                tickFormatter={(v: number) => format(v)}
                tickLine={false}
                axisLine={false}
                width={44}
                tick={{ fill: 'var(--muted)', fontSize: 11 }}
                domain={[0, ticks.at(-1) ?? 1]}
                ticks={ticks}
                interval={0}
              />
              <Tooltip
                cursor={{ stroke: 'var(--border)' }}
                contentStyle={CHART_TOOLTIP_STYLE}
                labelFormatter={(t) => formatClock(new Date(Number(t)).toISOString())}
                separator=": "
                formatter={(value, name) => [`${format(Number(value))}${unit}`, name]}
              />
              {lines.map((line) => (
                <Line
                  key={line.key}
                  dataKey={line.key}
                  name={line.label}
                  type="linear"
                  stroke={line.color}
                  strokeWidth={line.dashed ? 1.5 : 1.75}
                  strokeDasharray={line.dashed ? '5 3' : undefined}
                  dot={false}
                  activeDot={{ r: 3 }}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <div className="chart chart-live chart-empty">{emptyText}</div>
      )}
      <ul className="chart-legend">
        {lines.map((line) => {
          const value = newest ? newest[line.key] : null;
          return (
            <li key={line.key}>
              <span
                className={`chart-legend-swatch${line.dashed ? ' chart-legend-swatch-dashed' : ''}`}
                style={{ color: line.color }}
                aria-hidden="true"
              />
              {line.label}
              <span className="chart-legend-value">{value === null || value === undefined ? '—' : `${format(value)}${unit}`}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
