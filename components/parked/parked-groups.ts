/**
 * Pure shaping of a page of parked messages for the browser: entries of one original event
 * (parked again after a replay, or by several consumers) collapse into one row with a count, and
 * rows are grouped by reason, biggest group first.
 */
import type { ParkedMessage } from '@/lib/api/schemas';

/** The server's prefix for a consumer's nack park (esdb-semantics.md §3.1). */
const NACK_PREFIX = "Client explicitly NAK'ed message.\n";

export interface ParkedRow {
  /** Original event id, or `stream@revision` when the event is gone. */
  key: string;
  /** The newest parked entry of this event (its reason and time are the most recent). */
  latest: ParkedMessage;
  /** Parked event numbers of every entry of this event on the page, oldest first. */
  parkedEventNumbers: number[];
  count: number;
}

export interface ParkedReasonGroup {
  reason: string;
  /** Entries (not rows) parked with this reason. */
  count: number;
  rows: ParkedRow[];
}

/** How the browser labels a reason: who parked it, and the reason text without the server's prefix. */
export function toReasonLabel(reason: string): { source: 'consumer' | 'server' | 'unknown'; text: string } {
  if (reason.startsWith(NACK_PREFIX)) {
    const text = reason.slice(NACK_PREFIX.length).trim();
    return { source: 'consumer', text: text === '' ? '(no reason given)' : text };
  }
  if (reason.trim() === '') return { source: 'unknown', text: '(no reason recorded)' };
  return { source: 'server', text: reason };
}

function keyOf(message: ParkedMessage): string {
  return message.eventId ?? `${message.stream}@${message.revision}`;
}

/** One row per original event, ordered by its oldest parked entry. */
export function collapseParked(messages: readonly ParkedMessage[]): ParkedRow[] {
  const rows = new Map<string, ParkedRow>();
  for (const message of [...messages].sort((a, b) => a.parkedEventNumber - b.parkedEventNumber)) {
    const key = keyOf(message);
    const row = rows.get(key);
    if (row) {
      row.latest = message;
      row.parkedEventNumbers.push(message.parkedEventNumber);
      row.count += 1;
    } else {
      rows.set(key, { key, latest: message, parkedEventNumbers: [message.parkedEventNumber], count: 1 });
    }
  }
  return [...rows.values()];
}

/**
 * Groups by the reason of each event's newest entry (what an operator acts on); groups with
 * more entries come first, ties by reason text so the order is stable while data updates.
 */
export function groupParkedByReason(messages: readonly ParkedMessage[]): ParkedReasonGroup[] {
  const groups = new Map<string, ParkedReasonGroup>();
  for (const row of collapseParked(messages)) {
    const reason = row.latest.reason;
    const group = groups.get(reason) ?? { reason, count: 0, rows: [] };
    group.count += row.count;
    group.rows.push(row);
    groups.set(reason, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
