import { randomUUID } from 'node:crypto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { ReadResp, type ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { EventLog } from '../log/event-log';
import { LINK_EVENT_TYPE, parseLinkData, type RecordedEvent } from '../log/recorded-event';
import type { ResolvedEvent } from '../persistent/group-message';
import { type AllFilter, toFilterPredicate } from '../persistent/event-source/all-filter';
import { AllSource } from '../persistent/event-source/all-source';
import type { EventSource } from '../persistent/event-source/event-source';
import { StreamSource } from '../persistent/event-source/stream-source';
import { toStreamsReadEvent, type UuidForm } from './recorded-event-mapping';
import { fromStreamIdentifier } from './stream-name';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

const PAGE = 500;

export function resolveForRead(log: EventLog, event: RecordedEvent, resolveLinks: boolean): ResolvedEvent {
  if (!resolveLinks || event.type !== LINK_EVENT_TYPE) return { event };
  const pointer = parseLinkData(event.data);
  const target = pointer && log.readEvent(pointer.streamId, pointer.revision);
  return target ? { event: target, link: event } : { link: event };
}

function toFilter(options: ReadReq.Options): AllFilter | undefined {
  const filter = options.getFilter();
  if (!filter) return undefined;
  const on = filter.hasStreamIdentifier() ? 'stream' : 'event-type';
  const expression = filter.hasStreamIdentifier() ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) return undefined;
  const regex = expression.getRegex();
  return regex ? { on, regex } : { on, prefixes: expression.getPrefixList() };
}

/** Source and first cursor. Subscriptions start *after* the given revision/position (exclusive). */
function toStart(log: EventLog, options: ReadReq.Options): { source: EventSource; from: number } {
  const all = options.getAll();
  if (all) {
    const source = new AllSource(log, toFilterPredicate(toFilter(options)));
    if (all.hasStart()) return { source, from: 0 };
    if (all.hasEnd()) return { source, from: source.endCursor() };
    return { source, from: Number(all.getPosition()?.getCommitPosition() ?? '-1') + 1 };
  }
  const stream = options.getStream();
  const source = new StreamSource(log, fromStreamIdentifier(stream?.getStreamIdentifier()));
  if (stream?.hasRevision()) return { source, from: Number(stream.getRevision()) + 1 };
  if (stream?.hasEnd()) return { source, from: source.endCursor() };
  return { source, from: 0 };
}

/**
 * A catch-up subscription (Streams.Read with `subscription`): confirmation, the history after the
 * start, `caught_up`, then live events until the client cancels. History and the switch to live
 * happen in one synchronous step, so no event can fall in between.
 */
export function serveSubscription(log: EventLog, call: ReadCall, options: ReadReq.Options, uuidForm: UuidForm): void {
  const resolveLinks = options.getResolveLinks();
  const { source, from } = toStart(log, options);
  let next = from;
  const send = (event: RecordedEvent) => {
    call.write(new ReadResp().setEvent(toStreamsReadEvent(resolveForRead(log, event, resolveLinks), uuidForm)));
    next = source.cursorOf(event) + 1;
  };

  call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
  for (;;) {
    const page = source.read(next, PAGE);
    for (const event of page.events) send(event);
    next = Math.max(next, page.next);
    if (page.isEnd) break;
  }
  call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));

  const unsubscribe = log.onAppended((events) => {
    for (const event of events) {
      if (source.includes(event) && source.cursorOf(event) >= next) send(event);
    }
  });
  call.on('cancelled', unsubscribe);
  call.on('error', unsubscribe);
  call.on('close', unsubscribe);
}
