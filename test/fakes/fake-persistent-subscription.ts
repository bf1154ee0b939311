/**
 * In-memory model of ONE persistent subscription group on a server, implementing
 * PersistentSubscriptionSource (esdb-semantics.md §2.2–§2.4, §3). Enough of the real behaviour
 * for the subscriber core: bufferSize slots per connection, retry buffer served first, shared
 * ids across redeliveries (a late ack acks the redelivery), retryCount +1 on nack retry /
 * timeout / disconnect, park after maxRetryCount, replay of parked messages with a new link id,
 * and reload from a checkpoint with retryCount 0.
 */
import { randomUUID } from 'node:crypto';
import type {
  PersistentSubscriptionSource,
  SourceEvent,
  SourceHandlers,
  SourceRecord,
  SourceSubscription,
  SubscriptionTarget,
  WriteOutcome,
} from '../../lib/esdb/persistent-subscription-source';

interface Message {
  event: SourceRecord;
  link?: SourceRecord;
  retryCount: number;
  /** Sequence in the stream (for "redeliver from checkpoint"). */
  seq: number;
}

interface FakeConnection {
  id: number;
  target: SubscriptionTarget;
  handlers: SourceHandlers;
  inFlight: Set<string>;
  open: boolean;
}

export interface FakeServerOptions {
  maxRetryCount?: number;
  stream?: string;
}

export interface FakeNack {
  id: string;
  action: 'retry' | 'park';
  reason: string;
}

export function createFakePersistentSubscription(options: FakeServerOptions = {}) {
  const maxRetryCount = options.maxRetryCount ?? 10;
  const streamId = options.stream ?? 'orders';
  const log: SourceRecord[] = [];
  /** Next stream position not yet pushed (live/read buffer). */
  let readPosition = 0;
  const retryQueue: Message[] = [];
  const outstanding = new Map<string, { message: Message; connection: FakeConnection }>();
  const connections: FakeConnection[] = [];
  let connectionSeq = 0;
  let rr = 0;
  const acks: string[] = [];
  const nacks: FakeNack[] = [];
  const parked: Array<{ message: Message; reason: string }> = [];
  const pushes: Array<{ id: string; retryCount: number; connection: number }> = [];
  const failNext: string[] = [];
  let pumpScheduled = false;

  const ackId = (m: { event?: SourceRecord; link?: SourceRecord }) => (m.link ?? m.event)?.id ?? '';

  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  }

  function nextMessage(): Message | undefined {
    const retry = retryQueue.shift();
    if (retry) return retry;
    const event = log[readPosition];
    if (!event) return undefined;
    const message: Message = { event, retryCount: 0, seq: readPosition };
    readPosition += 1;
    return message;
  }

  function pump(): void {
    for (;;) {
      const open = connections.filter((c) => c.open && c.inFlight.size < c.target.bufferSize);
      if (open.length === 0) return;
      const connection = open[rr++ % open.length] as FakeConnection;
      const message = nextMessage();
      if (!message) return;
      const id = ackId(message);
      outstanding.set(id, { message, connection });
      connection.inFlight.add(id);
      pushes.push({ id: message.event.id, retryCount: message.retryCount, connection: connection.id });
      connection.handlers.onEvent({
        event: message.event,
        ...(message.link ? { link: message.link } : {}),
        retryCount: message.retryCount,
      });
    }
  }

  function retry(message: Message, park: boolean, reason: string): void {
    if (park && message.retryCount >= maxRetryCount) {
      parked.push({ message, reason: `Reached retry count of ${maxRetryCount}` });
      return;
    }
    retryQueue.push({ ...message, retryCount: message.retryCount + 1 });
    void reason;
  }

  function removeOutstanding(id: string): Message | undefined {
    const entry = outstanding.get(id);
    if (!entry) return undefined;
    outstanding.delete(id);
    entry.connection.inFlight.delete(id);
    return entry.message;
  }

  function disconnect(connection: FakeConnection): void {
    if (!connection.open) return;
    connection.open = false;
    const ids = [...connection.inFlight];
    const messages = ids.map(removeOutstanding).filter((m): m is Message => m !== undefined);
    messages.sort((a, b) => a.seq - b.seq);
    for (const m of messages) retry(m, false, 'client disconnected');
    schedulePump();
  }

  const source: PersistentSubscriptionSource = {
    subscribe(target, handlers): SourceSubscription {
      const connection: FakeConnection = { id: ++connectionSeq, target, handlers, inFlight: new Set(), open: true };
      const failure = failNext.shift();
      let finished = false;
      const finish = () => {
        finished = true;
      };
      if (failure !== undefined) {
        connection.open = false;
        setImmediate(() => {
          finish();
          handlers.onDropped({ reason: failure });
        });
      } else {
        connections.push(connection);
        setImmediate(() => {
          if (!connection.open) return;
          handlers.onConfirmation();
          schedulePump();
        });
      }
      const write = async (apply: () => void): Promise<WriteOutcome> => {
        await Promise.resolve();
        if (!connection.open || finished) return 'connection-closed';
        apply();
        schedulePump();
        return 'sent';
      };
      // The wrapper reports drops to the subscriber exactly once, like the real adapter.
      const original = connection.handlers;
      connection.handlers = {
        onConfirmation: () => !finished && original.onConfirmation(),
        onEvent: (e) => !finished && original.onEvent(e),
        onDropped: (info) => {
          if (finished) return;
          finish();
          original.onDropped(info);
        },
      };
      return {
        ack: (event) =>
          write(() => {
            const id = ackId(event);
            acks.push(id);
            removeOutstanding(id);
          }),
        nack: (action, reason, event) =>
          write(() => {
            const id = ackId(event);
            nacks.push({ id, action, reason });
            const message = removeOutstanding(id);
            if (!message) return;
            if (action === 'park') parked.push({ message, reason: `Client explicitly NAK'ed message.\n${reason}` });
            else retry(message, true, reason);
          }),
        async unsubscribe() {
          finish();
          disconnect(connection);
        },
      };
    },
  };

  return {
    source,
    /** Appends events with the given ids (random when omitted) and data `{ n }` or `dataOf(n)`. */
    append(
      count: number,
      ids: string[] = Array.from({ length: count }, () => randomUUID()),
      dataOf: (n: number) => unknown = (n) => ({ n }),
    ): string[] {
      for (const id of ids) {
        log.push({
          id,
          streamId,
          revision: BigInt(log.length),
          type: 'TestEvent',
          data: dataOf(log.length),
          metadata: undefined,
          created: new Date('2026-01-01T00:00:00.000Z'),
          isJson: true,
        });
      }
      schedulePump();
      return ids;
    },
    /** Server-side drop of every open connection (like a network cut). */
    dropAll(reason = 'UnavailableError: 14 UNAVAILABLE: Connection dropped'): void {
      for (const connection of connections.filter((c) => c.open)) {
        disconnect(connection);
        connection.handlers.onDropped({ reason });
      }
    },
    /** The next `subscribe` calls fail with these reasons, in order. */
    failNextSubscribes(...reasons: string[]): void {
      failNext.push(...reasons);
    },
    /** Message timeout: every outstanding message is redelivered with retryCount+1 (same id). */
    expireInFlight(): void {
      for (const id of [...outstanding.keys()]) {
        const message = removeOutstanding(id);
        if (message) retry(message, true, 'timeout');
      }
      schedulePump();
    },
    /** Group reload from a checkpoint: redelivers stream events from `seq` on, retryCount 0. */
    reloadFrom(seq: number): void {
      for (const id of [...outstanding.keys()]) removeOutstanding(id);
      retryQueue.length = 0;
      readPosition = seq;
      schedulePump();
    },
    /**
     * Group shutdown and reload (leader change, RestartSubsystem, Update — esdb-semantics §2.6):
     * every client is dropped with `persistent-subscription-dropped`, the in-memory state
     * (outstanding, retries, retryCounts) is lost, and the group reads again from its checkpoint
     * with retryCount 0. The checkpoint is `seq`, but never past the lowest unacked message (a
     * checkpoint covers only the contiguous acked prefix, §2.5). Parked messages stay parked;
     * replayed ones not yet acked go back to the parked list (the model does not reproduce the
     * server's parked-stream truncation at replay time).
     */
    restartGroup(seq: number, reason = 'PersistentSubscriptionDroppedError: Subscription dropped by the server'): void {
      for (const connection of connections.filter((c) => c.open)) {
        connection.open = false;
        connection.inFlight.clear();
        connection.handlers.onDropped({ reason });
      }
      const pending = [...[...outstanding.values()].map((o) => o.message), ...retryQueue];
      const unacked = pending.filter((m) => !m.link).map((m) => m.seq);
      for (const m of pending.filter((p) => p.link)) parked.push({ message: { ...m, link: undefined }, reason: 'replay interrupted' });
      outstanding.clear();
      retryQueue.length = 0;
      readPosition = Math.min(seq, readPosition, ...unacked);
      schedulePump();
    },
    /**
     * Parks a copy of an already appended event, as if another consumer of the group had nacked
     * `park` for it (the copy carries no link, like a park of a first delivery).
     */
    parkCopy(eventId: string, reason = 'parked by another consumer'): void {
      const seq = log.findIndex((e) => e.id === eventId);
      const event = log[seq];
      if (!event) throw new Error(`parkCopy: no event ${eventId} in the fake stream`);
      parked.push({ message: { event, retryCount: 0, seq }, reason });
    },
    /** ReplayParked: parked messages come back with a new link id and retryCount 0. */
    replayParked(): void {
      for (const { message } of parked.splice(0)) {
        retryQueue.push({
          event: message.event,
          link: { ...message.event, id: randomUUID(), streamId: `$persistentsubscription-${streamId}::g-parked`, type: '$>' },
          retryCount: 0,
          seq: message.seq,
        });
      }
      schedulePump();
    },
    openConnections: () => connections.filter((c) => c.open).length,
    subscribeCount: () => connectionSeq,
    acks,
    nacks,
    parked,
    pushes,
    outstandingCount: () => outstanding.size,
    /** True when every appended event was pushed and nothing is outstanding or waiting. */
    isIdle: () => readPosition >= log.length && outstanding.size === 0 && retryQueue.length === 0,
  };
}

export type FakePersistentSubscription = ReturnType<typeof createFakePersistentSubscription>;
export type { SourceEvent };
