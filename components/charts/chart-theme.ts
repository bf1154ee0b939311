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

/**
 * Every live chart line's colour and dash, so series look the same on every chart. Colours are
 * the CSS theme variables (light and dark values in app/globals.css). Lines on one chart differ
 * in hue family and lightness (blue, grey, orange / red), and the line that runs on top of
 * another one (received over delivered) is dashed, so they read apart without colour vision too.
 */
export const CHART_SERIES = {
  received: { color: 'var(--muted)', dashed: true },
  delivered: { color: 'var(--accent)', dashed: false },
  duplicates: { color: 'var(--warn)', dashed: false },
  uncheckpointed: { color: 'var(--accent)', dashed: false },
  parked: { color: 'var(--bad)', dashed: false },
  inFlight: { color: 'var(--accent)', dashed: false },
  bufferSize: { color: 'var(--muted)', dashed: true },
} as const satisfies Record<string, { color: string; dashed: boolean }>;
