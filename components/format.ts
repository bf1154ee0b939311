/** Display formatting shared by tables and cards. Pure; `now` is passed in for testability. */

const EMPTY = '—';

/** 999 → "999", 1234 → "1.2k", 12_345 → "12.3k", 123_456 → "123k", 1_234_567 → "1.2M". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  const abs = Math.abs(value);
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) {
      const scaled = value / size;
      const digits = Math.abs(scaled) >= 100 ? 0 : 1;
      const text = scaled.toFixed(digits);
      // 999.96k would print "1000.0k": promote to the next unit instead.
      if (Math.abs(Number(text)) >= 1000 && suffix !== 'B') return formatCount(Math.sign(value) * 1000 * size);
      return `${text.replace(/\.0$/, '')}${suffix}`;
    }
  }
  return String(Math.round(value));
}

/** Exact integer with thousands separators, for tooltips and detail views. */
export function formatExact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return Math.round(value).toLocaleString('en-US');
}

/** Events per second: "0", "0.4", "12", "1.2k". */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  if (value === 0) return '0';
  if (value < 10) return value.toFixed(1).replace(/\.0$/, '');
  return formatCount(value);
}

/** "just now", "42 s ago", "3 min ago", "2 h ago", "5 d ago"; future times read "in …". */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return EMPTY;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return EMPTY;
  const seconds = Math.round((now - at) / 1000);
  const abs = Math.abs(seconds);
  let text: string;
  if (abs < 5) return 'just now';
  if (abs < 60) text = `${abs} s`;
  else if (abs < 3600) text = `${Math.floor(abs / 60)} min`;
  else if (abs < 86_400) text = `${Math.floor(abs / 3600)} h`;
  else text = `${Math.floor(abs / 86_400)} d`;
  return seconds >= 0 ? `${text} ago` : `in ${text}`;
}

/** "850 ms", "42 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return EMPTY;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** Local wall-clock time, e.g. "17:42:05" (ISO string on failure is not shown: "—"). */
export function formatClock(iso: string | null | undefined): string {
  if (!iso) return EMPTY;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return EMPTY;
  return at.toLocaleTimeString('en-GB', { hour12: false });
}

/** Stream positions are decimal strings (bigint-safe); shown as is, or "—". */
export function formatPosition(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? EMPTY : value;
}
