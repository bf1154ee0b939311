import type { CSSProperties } from 'react';

/** Shared look of the recharts tooltips and axes (colours follow the CSS theme variables). */
export const CHART_TOOLTIP_STYLE: CSSProperties = {
  background: 'var(--surface)',
  border: '1px solid var(--border)',
  borderRadius: 6,
  color: 'var(--text)',
  fontSize: 12.5,
};

export const CHART_AXIS_LINE = { stroke: 'var(--border)' } as const;
