/**
 * PersistentSubscriptionSource over the official client (@eventstore/db-client 6.2.1).
 *
 * Client quirks handled here (esdb-semantics.md §10, §4.3):
 * - the subscription never reconnects by itself: every end is reported once as `onDropped`;
 * - an unhandled `error` event crashes the process: an `error` listener is attached before
 *   anything else can happen;
 * - `ack()` resolves once written locally and may wait forever for `drain` on a dead call, so
 *   writes race against the end of the connection;
 * - the Node client acks `link.id ?? event.id`, so the original ResolvedEvent object is kept
 *   (WeakMap) and passed back to ack/nack;
 * - acks requested in the same tick are sent as one message (`sub.ack(...events)`);
 * - `$all` groups use the client's `…ToAll` call (same event shape and ack/nack surface).
 */
import {
  BACKWARDS,
  END,
  type EventStoreDBClient,
  type PersistentSubscriptionToAll,
  type PersistentSubscriptionToStream,
  type PersistentSubscriptionToStreamResolvedEvent,
} from '@eventstore/db-client';
import type {
  PersistentSubscriptionSource,
  SourceEvent,
  SourceHandlers,
  SourceRecord,
  SourceSubscription,
  SubscriptionTarget,
  WriteOutcome,
} from './persistent-subscription-source';

type Resolved = PersistentSubscriptionToStreamResolvedEvent;

export function createEsdbSubscriptionSource(client: EventStoreDBClient): PersistentSubscriptionSource {
  return {
    subscribe(target: SubscriptionTarget, handlers: SourceHandlers): SourceSubscription {
      return subscribeToStream(client, target, handlers);
    },
  };
}

function subscribeToStream(
  client: EventStoreDBClient,
  target: SubscriptionTarget,
  handlers: SourceHandlers,
): SourceSubscription {
  const originals = new WeakMap<SourceEvent, Resolved>();
  let finished = false;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<WriteOutcome>((resolve) => {
    markClosed = () => resolve('connection-closed');
  });

  const finish = (info: { reason: string; error?: unknown } | null): void => {
    if (finished) return;
    finished = true;
    markClosed();
    if (info) handlers.onDropped(info);
  };

  let sub: PersistentSubscriptionToStream | undefined;
  try {
    sub =
      target.stream === '$all'
        ? // An `$all` delivery carries the same event/link/retryCount fields (plus positions, unused here).
          (client.subscribeToPersistentSubscriptionToAll(target.group, {
            bufferSize: target.bufferSize,
          }) as PersistentSubscriptionToAll as unknown as PersistentSubscriptionToStream)
        : client.subscribeToPersistentSubscriptionToStream(target.stream, target.group, {
            bufferSize: target.bufferSize,
          });
  } catch (error) {
    // Mapped: a synchronous failure is reported like any other drop so the caller reconnects.
    queueMicrotask(() => finish({ reason: describeError(error), error }));
  }

  let confirmed = false;
  if (sub) {
    sub.on('error', (error: Error) => {
      if (confirmed || target.stream === '$all' || !isDroppedError(error)) {
        finish({ reason: describeError(error), error });
        return;
      }
      // Dropped before the confirmation: the group is faulted. On a real server that is a history
      // read error, typically a hard-deleted stream (esdb-semantics §2.6); the drop does not say so,
      // so the stream is probed once to name the cause.
      void probeStreamDeleted(client, target.stream).then((deleted) =>
        finish({ reason: deleted ? `${deleted}; ${describeError(error)}` : describeError(error), error }),
      );
    });
    sub.on('end', () => finish({ reason: 'subscription ended by the server' }));
    sub.on('close', () => finish({ reason: 'subscription closed' }));
    sub.on('confirmation', () => {
      confirmed = true;
      if (!finished) handlers.onConfirmation();
    });
    sub.on('data', (resolved: Resolved) => {
      if (finished) return;
      const event = toSourceEvent(resolved);
      originals.set(event, resolved);
      handlers.onEvent(event);
    });
  }

  const write = async (event: SourceEvent, send: (s: PersistentSubscriptionToStream, r: Resolved) => Promise<void>) => {
    const original = originals.get(event);
    if (!original) throw new Error('ack/nack called with an event this subscription did not deliver');
    if (finished || !sub) return 'connection-closed' as const;
    const s = sub;
    return Promise.race([send(s, original).then(() => 'sent' as const), closed]);
  };

  // Acks of the same tick travel in one ReadReq (one gRPC message for many ids): far fewer
  // messages than one ack per event, same semantics (an ack is per id).
  let pendingAcks: Array<{ event: SourceEvent; resolve: (outcome: WriteOutcome) => void; reject: (e: unknown) => void }> = [];
  const flushAcks = (): void => {
    const batch = pendingAcks;
    pendingAcks = [];
    const originalsOfBatch = batch.map((item) => originals.get(item.event));
    if (finished || !sub || originalsOfBatch.some((o) => o === undefined)) {
      for (const item of batch) {
        if (originals.get(item.event)) item.resolve('connection-closed');
        else item.reject(new Error('ack called with an event this subscription did not deliver'));
      }
      return;
    }
    const s = sub;
    Promise.race([s.ack(...(originalsOfBatch as Resolved[])).then(() => 'sent' as const), closed]).then(
      (outcome) => batch.forEach((item) => item.resolve(outcome)),
      (error: unknown) => batch.forEach((item) => item.reject(error)),
    );
  };

  return {
    ack: (event) =>
      new Promise<WriteOutcome>((resolve, reject) => {
        pendingAcks.push({ event, resolve, reject });
        if (pendingAcks.length === 1) setImmediate(flushAcks);
      }),
    nack: (action, reason, event) => write(event, (s, r) => s.nack(action, reason, r)),
    async unsubscribe() {
      if (finished) return;
      finish(null);
      if (sub) await sub.unsubscribe();
    },
  };
}

function isDroppedError(error: unknown): boolean {
  return (error as { type?: unknown }).type === 'persistent-subscription-dropped';
}

/** The StreamDeletedError text when `stream` is hard-deleted; null otherwise (or when the probe fails). */
async function probeStreamDeleted(client: EventStoreDBClient, stream: string): Promise<string | null> {
  try {
    for await (const _ of client.readStream(stream, { maxCount: 1, direction: BACKWARDS, fromRevision: END })) break;
    return null;
  } catch (error) {
    return (error as { type?: unknown }).type === 'stream-deleted' ? describeError(error) : null;
  }
}

function toRecord(record: NonNullable<Resolved['event']> | NonNullable<Resolved['link']>): SourceRecord {
  return {
    id: record.id,
    streamId: record.streamId,
    revision: record.revision,
    type: record.type,
    data: record.data,
    metadata: record.metadata,
    created: record.created,
    isJson: record.isJson,
  };
}

function toSourceEvent(resolved: Resolved): SourceEvent {
  return {
    ...(resolved.event ? { event: toRecord(resolved.event) } : {}),
    ...(resolved.link ? { link: toRecord(resolved.link) } : {}),
    retryCount: resolved.retryCount,
  };
}

/** "UnavailableError: 14 UNAVAILABLE: Connection dropped" style text for epoch end reasons. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const type = (error as { type?: unknown }).type;
    const name = error.constructor.name !== 'Error' ? error.constructor.name : error.name;
    return `${name}${typeof type === 'string' && !name.toLowerCase().includes(type.replace(/-/g, '')) ? ` (${type})` : ''}: ${error.message}`;
  }
  return String(error);
}
