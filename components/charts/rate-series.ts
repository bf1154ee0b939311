import type { LiveSample } from './live-history';

/** The overview sparkline covers the last minute. */
export const SPARKLINE_WINDOW_MS = 60_000;

export interface RateSeries {
  /** Rates (events/s) of the window, oldest first. */
  values: number[];
  /** Largest value of the window (0 when empty); the sparkline scales to it. */
  max: number;
}

/** The `ratePerSecond` values of the last `windowMs` before the newest sample. */
export function toRateSeries(samples: readonly LiveSample[], windowMs = SPARKLINE_WINDOW_MS): RateSeries {
  const newest = samples.at(-1);
  if (!newest) return { values: [], max: 0 };
  const from = newest.t - windowMs;
  const values = samples.filter((p) => p.t > from).map((p) => (Number.isFinite(p.ratePerSecond) && p.ratePerSecond > 0 ? p.ratePerSecond : 0));
  return { values, max: values.reduce((m, v) => Math.max(m, v), 0) };
}

/**
 * SVG polyline points for `values` in a `width` × `height` box (y grows downward), one point per
 * slot of `slots` so the line fills from the right as history accumulates instead of stretching.
 * An all-zero series is a flat line on the bottom edge. `pad` keeps the stroke inside the box.
 */
export function sparklinePoints(values: readonly number[], width: number, height: number, slots: number, pad = 1): string {
  if (values.length === 0) return '';
  const n = Math.max(slots, values.length);
  const step = n > 1 ? (width - 2 * pad) / (n - 1) : 0;
  const offset = n - values.length;
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  const round = (v: number) => Math.round(v * 10) / 10;
  return values
    .map((v, i) => {
      const x = pad + (offset + i) * step;
      const y = max > 0 ? height - pad - (v / max) * (height - 2 * pad) : height - pad;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

/**
 * Until the window is full, where the line starts: the left edge of its first point, so the
 * sparkline can mark the part before it as "not seen yet" (a faint dotted lead-in at the first
 * value's height) instead of a short spike hanging at the right edge. Null once every slot has a
 * value, or without values. Same geometry as sparklinePoints.
 */
export function sparklineLeadIn(
  values: readonly number[],
  width: number,
  height: number,
  slots: number,
  pad = 1,
): { x1: number; x2: number; y: number } | null {
  if (values.length === 0 || values.length >= slots) return null;
  const first = sparklinePoints(values, width, height, slots, pad).split(' ')[0]!;
  const [x, y] = first.split(',').map(Number) as [number, number];
  return { x1: pad, x2: x, y };
}
