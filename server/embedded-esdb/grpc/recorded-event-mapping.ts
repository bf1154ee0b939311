import { ReadResp as PersistentReadResp } from '@eventstore/db-client/generated/persistent_pb';
import { ReadResp as StreamsReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { RecordedEvent } from '../log/recorded-event';
import type { ResolvedEvent } from '../persistent/group-message';
import { toStreamIdentifier } from './stream-name';
import { toUuid } from './uuid';

export type UuidForm = 'string' | 'structured';

type WireRecord = PersistentReadResp.ReadEvent.RecordedEvent | StreamsReadResp.ReadEvent.RecordedEvent;

/**
 * Fills a wire RecordedEvent. `position` is the *original* (link-or-event) position, which the
 * server puts on both `event` and `link` (§4.3 step 4).
 */
function fillRecord<T extends WireRecord>(out: T, event: RecordedEvent, position: number, uuidForm: UuidForm): T {
  out.setId(toUuid(event.id, uuidForm));
  out.setStreamIdentifier(toStreamIdentifier(event.streamId));
  out.setStreamRevision(String(event.revision));
  out.setPreparePosition(String(position));
  out.setCommitPosition(String(position));
  const metadata = out.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('created', event.created.toString());
  metadata.set('content-type', event.isJson ? 'application/json' : 'application/octet-stream');
  out.setCustomMetadata(event.metadata);
  out.setData(event.data);
  return out;
}

function originalPosition(resolved: ResolvedEvent): number {
  return (resolved.link ?? resolved.event)!.position;
}

/** A persistent-subscription delivery; `retry_count` is always set (§2.4). */
export function toPersistentReadEvent(resolved: ResolvedEvent, retryCount: number, uuidForm: UuidForm): PersistentReadResp.ReadEvent {
  const position = originalPosition(resolved);
  const out = new PersistentReadResp.ReadEvent();
  if (resolved.event) out.setEvent(fillRecord(new PersistentReadResp.ReadEvent.RecordedEvent(), resolved.event, position, uuidForm));
  if (resolved.link) out.setLink(fillRecord(new PersistentReadResp.ReadEvent.RecordedEvent(), resolved.link, position, uuidForm));
  out.setCommitPosition(String(position));
  out.setRetryCount(retryCount);
  return out;
}

/** A Streams.Read event. */
export function toStreamsReadEvent(resolved: ResolvedEvent, uuidForm: UuidForm): StreamsReadResp.ReadEvent {
  const position = originalPosition(resolved);
  const out = new StreamsReadResp.ReadEvent();
  if (resolved.event) out.setEvent(fillRecord(new StreamsReadResp.ReadEvent.RecordedEvent(), resolved.event, position, uuidForm));
  if (resolved.link) out.setLink(fillRecord(new StreamsReadResp.ReadEvent.RecordedEvent(), resolved.link, position, uuidForm));
  out.setCommitPosition(String(position));
  return out;
}
