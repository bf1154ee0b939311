/**
 * Pure mapping of one entry read from a parked stream (`resolveLinkTos: true`) to the API's
 * ParkedMessage (DESIGN.md §7, esdb-semantics.md §3.2). The parked entry is a `$>` link whose
 * data is `"<revision>@<stream>"` of the original event and whose metadata is
 * `{added, reason, subscriptionEventNumber?}`; the resolved original carries id, type and body.
 */
import type { ParkedMessage, ParkedTextEncoding } from '../api/schemas';

/** The fields of the client's RecordedEvent this mapping reads (structural, so tests need no client). */
export interface ParkedRecordLike {
  id: string;
  streamId: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata?: unknown;
}

/** What the client's readStream yields: `link` = the parked `$>` record, `event` = the original (absent when gone). */
export interface ParkedEntryLike {
  link?: ParkedRecordLike;
  event?: ParkedRecordLike;
}

/** Longer texts are cut so one huge event cannot blow up a page of 500; the cut is stated in the text. */
export const MAX_PARKED_TEXT_CHARS = 64 * 1024;

const LINK_DATA = /^(\d+)@([\s\S]+)$/;

/**
 * Event body → text: JSON pretty-printed, binary as base64, the raw text of a JSON event whose
 * body did not parse (the client hands that over as a string). Never markup: callers render it as text.
 */
export function toParkedText(value: unknown): { text: string; encoding: ParkedTextEncoding } {
  if (value === undefined) return { text: '', encoding: 'none' };
  if (value instanceof Uint8Array) {
    if (value.length === 0) return { text: '', encoding: 'none' };
    return { text: clip(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')), encoding: 'base64' };
  }
  if (typeof value === 'string') return { text: clip(value), encoding: 'text' };
  return { text: clip(JSON.stringify(value, null, 2)), encoding: 'json' };
}

function clip(text: string): string {
  if (text.length <= MAX_PARKED_TEXT_CHARS) return text;
  return `${text.slice(0, MAX_PARKED_TEXT_CHARS)}\n… truncated: ${text.length} characters in total`;
}

function linkTarget(link: ParkedRecordLike): { stream: string; revision: string } {
  const raw = link.data instanceof Uint8Array ? Buffer.from(link.data).toString('utf8') : String(link.data);
  const match = LINK_DATA.exec(raw);
  return match ? { revision: match[1]!, stream: match[2]! } : { revision: '', stream: raw };
}

function parkedMetadata(link: ParkedRecordLike): { reason: string; parkedAt: string | null } {
  const meta = link.metadata;
  if (typeof meta !== 'object' || meta === null || meta instanceof Uint8Array) return { reason: '', parkedAt: null };
  const { reason, added } = meta as { reason?: unknown; added?: unknown };
  return {
    reason: typeof reason === 'string' ? reason : '',
    parkedAt: typeof added === 'string' ? added : null,
  };
}

/**
 * @returns null for an entry that is not a parked record at all (neither link nor event).
 * The parked record is `link` when the server resolved it, else `event` (an unresolved `$>`).
 */
export function toParkedMessage(entry: ParkedEntryLike): ParkedMessage | null {
  const parked = entry.link ?? entry.event;
  if (!parked) return null;
  const original = entry.link ? entry.event : undefined;
  const where = original ? { stream: original.streamId, revision: original.revision.toString() } : linkTarget(parked);
  const data = original ? toParkedText(original.data) : { text: '', encoding: 'none' as const };
  const metadata = original ? toParkedText(original.metadata) : { text: '', encoding: 'none' as const };
  return {
    parkedEventNumber: Number(parked.revision),
    eventId: original?.id ?? null,
    ...where,
    type: original?.type ?? null,
    data: data.text,
    dataEncoding: data.encoding,
    metadata: metadata.text,
    metadataEncoding: metadata.encoding,
    ...parkedMetadata(parked),
  };
}
