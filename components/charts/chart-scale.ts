/** Axis scales for the live charts: pure, so the charts stay presentational. */

export interface LiveWindow {
  /** Width of the x axis, ending at the newest point. */
  windowMs: number;
  /** Distance between x ticks. */
  tickMs: number;
}

const WINDOWS: LiveWindow[] = [
  { windowMs: 60_000, tickMs: 15_000 },
  { windowMs: 120_000, tickMs: 30_000 },
  { windowMs: 300_000, tickMs: 60_000 },
];

/**
 * The x window for `spanMs` of history: 1, 2, then 5 minutes (capped at `maxMs`). A fresh page
 * does not squeeze its first seconds into the right edge of a 5-minute axis, and the axis only
 * changes at those two steps.
 */
export function liveWindow(spanMs: number, maxMs = 300_000): LiveWindow {
  const fit = WINDOWS.find((w) => w.windowMs >= spanMs && w.windowMs <= maxMs);
  return fit ?? WINDOWS.filter((w) => w.windowMs <= maxMs).at(-1) ?? WINDOWS[0]!;
}

/** Ticks from `newest − windowMs` to `newest`, every `tickMs`. */
export function windowTicks(newest: number, { windowMs, tickMs }: LiveWindow): number[] {
  const ticks: number[] = [];
  for (let t = newest - windowMs; t <= newest; t += tickMs) ticks.push(t);
  return ticks;
}

/** "now", "−15 s", "−1 min", "−1 min 30 s". */
export function agoLabel(t: number, newest: number): string {
  const s = Math.round((newest - t) / 1000);
  if (s <= 0) return 'now';
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m === 0) return `−${rest} s`;
  return rest === 0 ? `−${m} min` : `−${m} min ${rest} s`;
}

/**
 * Round y ticks from 0 covering `max` in at most `intervals` steps of 1, 2 or 5 × 10^k
 * (integers only: the charts count events). An all-zero series gets [0, 1].
 */
export function yTicks(max: number, intervals = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / intervals;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const count = Math.max(1, Math.ceil(max / step - 1e-9));
  return Array.from({ length: count + 1 }, (_, i) => i * step);
}
