import type { handleServerStreamingCall } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { EventLog } from '../log/event-log';
import type { RecordedEvent } from '../log/recorded-event';
import { toStreamsReadEvent, type UuidForm } from './recorded-event-mapping';
import { streamDeleted } from './stream-errors';
import { fromStreamIdentifier, toStreamIdentifier } from './stream-name';
import { resolveForRead, serveSubscription } from './streams-subscription';
import { type CallGuard, insecureGuard } from './call-guard';
import { invalidArgument } from './to-service-error';

function toCount(options: ReadReq.Options): number {
  if (!options.hasCount()) return Number.MAX_SAFE_INTEGER;
  const count = BigInt(options.getCount());
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

/**
 * Streams.Read for one stream or `$all`, forwards or backwards, with a count (§4.7), or a
 * catch-up subscription when the `subscription` option is set.
 */
export function createStreamsReadHandler(log: EventLog, guard: CallGuard = insecureGuard): handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', invalidArgument('Read options are required.'));
      return;
    }
    const target = options.hasAll() ? '$all' : fromStreamIdentifier(options.getStream()?.getStreamIdentifier());
    const checked = guard(call.metadata, { stream: target, operation: 'read' });
    if (checked.error) {
      call.emit('error', checked.error);
      return;
    }
    const uuidForm: UuidForm = options.getUuidOption()?.hasStructured() ? 'structured' : 'string';
    if (options.hasSubscription()) {
      serveSubscription(log, call, options, uuidForm);
      return;
    }
    const direction = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS ? 'backwards' : 'forwards';
    const maxCount = toCount(options);
    const resolveLinks = options.getResolveLinks();
    let events: RecordedEvent[];
    const all = options.getAll();
    if (all) {
      const position = all.getPosition();
      const from = all.hasStart() ? 'start' : all.hasEnd() ? 'end' : Number(position?.getCommitPosition() ?? 0);
      events = log.readAll(from, direction, maxCount);
    } else {
      const streamOptions = options.getStream();
      const stream = fromStreamIdentifier(streamOptions?.getStreamIdentifier());
      if (log.isTombstoned(stream)) {
        call.emit('error', streamDeleted(stream));
        return;
      }
      if (log.isMissing(stream)) {
        const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(toStreamIdentifier(stream));
        call.write(new ReadResp().setStreamNotFound(notFound));
        call.end();
        return;
      }
      const from = streamOptions?.hasRevision() ? Number(streamOptions.getRevision()) : streamOptions?.hasEnd() ? 'end' : 'start';
      events = log.readStream(stream, { from, direction, maxCount });
    }
    for (const event of events) {
      call.write(new ReadResp().setEvent(toStreamsReadEvent(resolveForRead(log, event, resolveLinks), uuidForm)));
    }
    call.end();
  };
}
