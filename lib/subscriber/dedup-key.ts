/**
 * Dedup key strategies of DESIGN.md §5 (`dedup.key`). Pure.
 * Never "highest revision seen": retries arrive out of order.
 */
import type { SourceEvent, SourceRecord } from '../esdb/persistent-subscription-source';

export type DedupKeySpec = 'eventId' | 'streamRevision' | `metadata:${string}` | `data:${string}`;

export type DedupKeyResult = { ok: true; key: string } | { ok: false; reason: string };

/** The original event: the resolved `event`, or the `link` when it could not be resolved. */
export function originalRecord(event: SourceEvent): SourceRecord {
  const record = event.event ?? event.link;
  if (!record) throw new Error('A persistent subscription delivery has neither event nor link');
  return record;
}

export function toDedupKey(event: SourceEvent, spec: DedupKeySpec): DedupKeyResult {
  const record = originalRecord(event);
  if (spec === 'eventId') return { ok: true, key: record.id };
  if (spec === 'streamRevision') return { ok: true, key: `${record.streamId}@${record.revision.toString()}` };
  const [source, ...rest] = spec.split(':');
  const path = rest.join(':');
  const root = source === 'metadata' ? record.metadata : record.data;
  const value = path.split('.').reduce<unknown>(
    (node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
    root,
  );
  if (typeof value === 'string' && value.length > 0) return { ok: true, key: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { ok: true, key: String(value) };
  return { ok: false, reason: `dedup key ${spec} is missing or not a string/number in event ${record.id}` };
}
