import type { Epoch } from '@/lib/api/schemas';

export interface DuplicatesPoint {
  /** Epoch number (x axis). */
  epoch: number;
  label: string;
  duplicatesSuppressed: number;
  delivered: number;
  /** The current, still open epoch. */
  open: boolean;
  endReason: string | null;
  /** Why the duplicates were redelivered, e.g. "reconnect 8 · timeout 2" ("" when none). */
  causes: string;
}

const CAUSE_ORDER = ['reconnect', 'timeout', 'reload', 'replay', 'other'] as const;

/** The non-zero duplicate causes of an epoch, largest first (ties in a fixed order). */
export function formatDuplicateCauses(byCause: Partial<Record<(typeof CAUSE_ORDER)[number], number>> | undefined): string {
  if (!byCause) return '';
  return CAUSE_ORDER.map((cause) => [cause, byCause[cause] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([cause, n]) => `${cause} ${n}`)
    .join(' · ');
}

/**
 * Shapes epochs (newest first, as the API returns them) into one bar per epoch, oldest → newest,
 * keeping the newest `maxBars`. Epoch numbers are unique; a repeated number keeps the last copy.
 */
export function toDuplicatesSeries(epochs: readonly Epoch[], maxBars = 30): DuplicatesPoint[] {
  const byEpoch = new Map<number, Epoch>();
  for (const e of epochs) byEpoch.set(e.epoch, e);
  return [...byEpoch.values()]
    .sort((a, b) => a.epoch - b.epoch)
    .slice(-Math.max(1, maxBars))
    .map((e) => ({
      epoch: e.epoch,
      label: `#${e.epoch}`,
      duplicatesSuppressed: e.duplicatesSuppressed,
      delivered: e.delivered,
      open: e.endedAt === null,
      endReason: e.endReason,
      causes: formatDuplicateCauses(e.duplicatesByCause),
    }));
}

const CHART_INTRO = 'One bar per epoch (connection): redelivered events subwatch had already processed.';

/**
 * The chart's caption, describing only marks that are drawn: the fainter bar exists only when the
 * open epoch suppressed duplicates, the thin grey mark only when an epoch suppressed none.
 */
export function describeDuplicatesChart(points: readonly DuplicatesPoint[]): string {
  const parts = [CHART_INTRO];
  if (points.some((p) => p.open && p.duplicatesSuppressed > 0)) parts.push('The fainter bar is the current (open) epoch.');
  if (points.some((p) => p.duplicatesSuppressed === 0)) parts.push('A thin grey mark: none suppressed.');
  return parts.join(' ');
}
