'use client';

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { formatCount, formatExact } from '../format';
import { CHART_AXIS_LINE, CHART_TOOLTIP_STYLE } from './chart-theme';
import type { DuplicatesPoint } from './duplicates-series';

/** "Duplicates suppressed per reconnect": one bar per epoch. Presentational; shaping is in duplicates-series.ts. */
export function ChartBarDuplicates({ data }: { data: DuplicatesPoint[] }) {
  return (
    <div className="chart" data-testid="duplicates-chart" data-bars={data.length}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="epoch"
            tickFormatter={(epoch: number) => `#${epoch}`}
            tickLine={false}
            axisLine={CHART_AXIS_LINE}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
            interval="preserveStartEnd"
          />
          <YAxis
            allowDecimals={false}
            tickFormatter={(v: number) => formatCount(v)}
            tickLine={false}
            axisLine={false}
            width={44}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
            label={{ value: 'duplicates', angle: -90, position: 'insideLeft', fill: 'var(--muted)', fontSize: 12, dy: 36 }}
          />
          <Tooltip
            cursor={{ fill: 'var(--hover)' }}
            contentStyle={CHART_TOOLTIP_STYLE}
            labelFormatter={(epoch) => `Epoch #${String(epoch)}`}
            separator=": "
            formatter={(value, _name, item) => {
              const causes = (item.payload as DuplicatesPoint | undefined)?.causes;
              return [`${formatExact(Number(value))}${causes ? ` (${causes})` : ''}`, 'Duplicates suppressed'];
            }}
          />
          <Bar dataKey="duplicatesSuppressed" name="Duplicates suppressed" isAnimationActive={false} maxBarSize={36} minPointSize={2} radius={[3, 3, 0, 0]}>
            {data.map((point) => (
              <Cell
                key={point.epoch}
                // A zero stays visible as a thin neutral baseline mark: the epoch happened, nothing was suppressed.
                fill={point.duplicatesSuppressed === 0 ? 'var(--muted)' : point.open ? 'var(--accent-muted)' : 'var(--accent)'}
                // The zero mark stays visible on dark backgrounds too, but quieter than a real bar.
                fillOpacity={point.duplicatesSuppressed === 0 ? 0.45 : 1}
              />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
