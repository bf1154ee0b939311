import type { Epoch } from '@/lib/api/schemas';

/** How an epoch (one connection) ended, for the timeline's end markers and the epochs table. */
export type EpochEndKind = 'open' | 'forced' | 'demo-fault' | 'lost' | 'stopped' | 'unrecorded';

export const END_KIND_LABEL: Record<EpochEndKind, string> = {
  open: 'connected now',
  forced: 'forced reconnect',
  'demo-fault': 'demo fault',
  lost: 'connection lost',
  stopped: 'stopped',
  unrecorded: 'end not recorded',
};

/** One tone per end kind, for the epochs table's chip and the timeline's end marker alike. */
export const END_KIND_TONE: Record<EpochEndKind, 'ok' | 'info' | 'warn' | 'off'> = {
  open: 'ok',
  forced: 'info',
  'demo-fault': 'off',
  lost: 'warn',
  stopped: 'off',
  unrecorded: 'off',
};

/**
 * Pure: the end kind of an epoch from its end reason, in the subscriber's wording
 * ("connection lost: …", "forced reconnect by …", "dedup store unavailable: …", "stopped") and
 * the demo's ("… demo fault …"). An epoch without an end is open when it is the newest, else its
 * process stopped before closing it.
 */
export function toEndKind(epoch: Pick<Epoch, 'endedAt' | 'endReason'>, hasNewer: boolean): EpochEndKind {
  if (epoch.endedAt === null) return hasNewer ? 'unrecorded' : 'open';
  const reason = epoch.endReason ?? '';
  if (/demo fault/i.test(reason)) return 'demo-fault';
  if (/^forced reconnect/i.test(reason)) return 'forced';
  if (/^stopped\b/i.test(reason)) return 'stopped';
  return 'lost';
}

/**
 * The end reason split for display: the kind (a chip) and the rest of the text, without the
 * words the chip already says. The full reason stays available for the tooltip.
 */
export function toEndReasonDetail(kind: EpochEndKind, reason: string | null): string {
  if (reason === null) return '';
  switch (kind) {
    case 'demo-fault':
      return reason.replace(/^connection lost: /i, '').replace(/^demo fault(?: \([^)]*\))?:?\s*/i, '');
    case 'lost':
      return reason.replace(/^connection lost: /i, '');
    case 'forced':
      return reason.replace(/^forced reconnect:?\s*/i, '');
    case 'stopped':
      return reason.replace(/^stopped:?\s*/i, '');
    default:
      return reason;
  }
}
