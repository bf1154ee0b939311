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
    }));
}
