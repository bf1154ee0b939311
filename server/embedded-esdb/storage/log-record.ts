import type { StreamSnapshot } from '../log/event-log';
import type { RecordedEvent } from '../log/recorded-event';
import type { StreamMetadata } from '../log/stream-metadata';
import type { GroupConfig } from '../persistent/group-config';

/**
 * One change of the embedded server's state, as stored in a data-log record's payload:
 *   u8 kind | u32 LE header length | header (UTF-8 JSON) | blobs
 * - kind 1 `append`: one committed append batch (all of it or nothing, since a record is atomic).
 *   Header `{ s: stream, c: created ticks, e: [{ i: id, t: type, j: isJson, r: revision,
 *   p: position, d: data bytes, m: metadata bytes }] }`; blobs: each event's data then metadata.
 *   Stream metadata (`$tb`, `$maxCount`), checkpoints (`$SubscriptionCheckpoint`) and parked
 *   messages are ordinary events in their streams, so they are append records too.
 * - kind 2 `remove`: a soft delete or tombstone, header `{ s: stream, t: tombstone }`.
 * - kind 3 `groups`: the whole persistent-subscription configuration after a Create, Update or
 *   Delete (like the real server's `$PersistentConfig` event), header `{ g: GroupConfig[] }`.
 * Written only by compaction (format version 2, see `record-file.ts`), at the start of a
 * compacted file:
 * - kind 4 `base`: a stream's first kept revision, before its events: `{ s, b: revision,
 *   p: end position of the whole log }` (the end position keeps new positions above dropped ones).
 * - kind 5 `stream-state`: after all events, a stream's flags and effective metadata:
 *   `{ s, x: deleted, t: tombstoned, m: metadata }`. Metadata is stored as applied because a soft
 *   delete changes `$tb` without a `$$` event.
 */
export type LogRecord =
  | { readonly kind: 'append'; readonly streamId: string; readonly events: readonly RecordedEvent[] }
  | { readonly kind: 'remove'; readonly streamId: string; readonly tombstone: boolean }
  | { readonly kind: 'groups'; readonly groups: readonly GroupConfig[] }
  | { readonly kind: 'base'; readonly streamId: string; readonly base: number; readonly endPosition: number }
  | { readonly kind: 'stream-state'; readonly stream: StreamSnapshot };

const KIND = { append: 1, remove: 2, groups: 3, base: 4, streamState: 5 } as const;

interface EventHeader {
  readonly i: string;
  readonly t: string;
  readonly j: boolean;
  readonly r: number;
  readonly p: number;
  readonly d: number;
  readonly m: number;
}

function withHeader(kind: number, header: unknown, blobs: readonly Uint8Array[] = []): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.allocUnsafe(5);
  prefix.writeUInt8(kind, 0);
  prefix.writeUInt32LE(json.length, 1);
  return Buffer.concat([prefix, json, ...blobs]);
}

export function encodeLogRecord(record: LogRecord): Buffer {
  switch (record.kind) {
    case 'append': {
      const created = record.events[0]?.created ?? 0n;
      const events: EventHeader[] = record.events.map((event) => ({
        i: event.id,
        t: event.type,
        j: event.isJson,
        r: event.revision,
        p: event.position,
        d: event.data.length,
        m: event.metadata.length,
      }));
      return withHeader(KIND.append, { s: record.streamId, c: created.toString(), e: events }, record.events.flatMap((e) => [e.data, e.metadata]));
    }
    case 'remove':
      return withHeader(KIND.remove, { s: record.streamId, t: record.tombstone });
    case 'groups':
      return withHeader(KIND.groups, { g: record.groups });
    case 'base':
      return withHeader(KIND.base, { s: record.streamId, b: record.base, p: record.endPosition });
    case 'stream-state': {
      const { streamId, deleted, tombstoned, metadata } = record.stream;
      return withHeader(KIND.streamState, { s: streamId, x: deleted, t: tombstoned, m: metadata });
    }
  }
}

/**
 * Decodes a payload whose checksum already matched.
 * @throws Error when the payload does not have the documented shape (a bug or a newer format).
 */
export function decodeLogRecord(payload: Buffer): LogRecord {
  const kind = payload.readUInt8(0);
  const headerEnd = 5 + payload.readUInt32LE(1);
  const header = JSON.parse(payload.subarray(5, headerEnd).toString('utf8')) as Record<string, unknown>;
  switch (kind) {
    case KIND.append: {
      const streamId = header.s as string;
      const created = BigInt(header.c as string);
      let offset = headerEnd;
      const take = (length: number) => {
        const bytes = new Uint8Array(payload.subarray(offset, offset + length));
        offset += length;
        return bytes;
      };
      const events = (header.e as EventHeader[]).map((e): RecordedEvent => {
        const data = take(e.d);
        const metadata = take(e.m);
        return { id: e.i, type: e.t, isJson: e.j, data, metadata, streamId, revision: e.r, position: e.p, created };
      });
      if (offset !== payload.length) throw new Error(`append record for ${streamId} has ${payload.length - offset} stray bytes`);
      return { kind: 'append', streamId, events };
    }
    case KIND.remove:
      return { kind: 'remove', streamId: header.s as string, tombstone: header.t === true };
    case KIND.groups:
      return { kind: 'groups', groups: header.g as GroupConfig[] };
    case KIND.base:
      return { kind: 'base', streamId: header.s as string, base: header.b as number, endPosition: header.p as number };
    case KIND.streamState:
      return {
        kind: 'stream-state',
        stream: { streamId: header.s as string, base: 0, deleted: header.x === true, tombstoned: header.t === true, metadata: header.m as StreamMetadata },
      };
    default:
      throw new Error(`unknown record kind ${kind}`);
  }
}
