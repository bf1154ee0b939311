import type { HeldDelivery, HeldPhase } from '@/lib/api/schemas';

import { formatDuration } from '../format';

export const HELD_PHASE_LABEL: Record<HeldPhase, string> = {
  'in-sink': 'in the sink',
  'waiting-retry': 'waiting for retry',
  'waiting-claim': 'waiting for claim',
};

/** Chip tone (app/globals.css `chip-*`): a retry wait is the "sink is failing" state. */
export const HELD_PHASE_TONE: Record<HeldPhase, 'info' | 'warn' | 'off'> = {
  'in-sink': 'info',
  'waiting-retry': 'warn',
  'waiting-claim': 'off',
};

export interface HeldRow {
  /** React key: event id, retry count and position (two copies of one event can be held at once). */
  id: string;
  eventId: string;
  type: string;
  /** `<stream>@<revision>` of the original event. */
  origin: string;
  retryCount: number;
  /** "42 s", "3 min 5 s"; under a second reads "< 1 s". */
  heldFor: string;
  since: string;
  phase: HeldPhase;
  phaseLabel: string;
  tone: 'info' | 'warn' | 'off';
  /** The last failure reason (plain text), null before a failure. */
  lastOutcome: string | null;
}

/** The "Held by the subscriber" rows, in the API's order (oldest first). */
export function toHeldRows(held: HeldDelivery[], now: number): HeldRow[] {
  return held.map((h, i) => {
    const ms = Math.max(0, now - Date.parse(h.since));
    return {
      id: `${h.eventId}:${h.retryCount}:${i}`,
      eventId: h.eventId,
      type: h.type,
      origin: `${h.stream}@${h.revision}`,
      retryCount: h.retryCount,
      heldFor: Number.isNaN(ms) ? '—' : ms < 1000 ? '< 1 s' : formatDuration(ms),
      since: h.since,
      phase: h.phase,
      phaseLabel: HELD_PHASE_LABEL[h.phase],
      tone: HELD_PHASE_TONE[h.phase],
      lastOutcome: h.lastOutcome ?? null,
    };
  });
}
