/**
 * The small surface of a persistent subscription the deduplicating subscriber needs. The official
 * client is wrapped by `createEsdbSubscriptionSource` (esdb-subscription-source.ts); tests use an
 * in-memory fake implementing the same interface (no mocks of our own modules, STYLE.md §8).
 */

/** One recorded event as delivered (the `event` or `link` part of a ResolvedEvent). */
export interface SourceRecord {
  id: string;
  streamId: string;
  revision: bigint;
  type: string;
  /** Parsed JSON, or raw bytes for binary events. */
  data: unknown;
  metadata: unknown;
  created: Date;
  isJson: boolean;
}

/** One delivery of a persistent subscription. At least one of `event` / `link` is set. */
export interface SourceEvent {
  /** The (resolved) original event; absent for an unresolvable link. */
  event?: SourceRecord;
  /** The link record (resolved `$>`, or the parked record of a replayed message). */
  link?: SourceRecord;
  retryCount: number;
}

export type NackAction = 'retry' | 'park';

/**
 * `sent` = handed to the transport (like the official client: written locally, not confirmed by
 * the server). `connection-closed` = the connection had already ended; the server will redeliver.
 */
export type WriteOutcome = 'sent' | 'connection-closed';

export interface SourceHandlers {
  /** The server confirmed the subscription (sent before any event). */
  onConfirmation(): void;
  onEvent(event: SourceEvent): void;
  /**
   * The connection ended for any reason other than `unsubscribe()`: error, server drop, or
   * normal end. Called at most once; no handler is called afterwards.
   */
  onDropped(info: { reason: string; error?: unknown }): void;
}

export interface SourceSubscription {
  /** Acks by the id the server tracks (`link.id ?? event.id`). Never throws for a closed connection. */
  ack(event: SourceEvent): Promise<WriteOutcome>;
  nack(action: NackAction, reason: string, event: SourceEvent): Promise<WriteOutcome>;
  /** Cancels the call. Idempotent. No handler is called after it is invoked. */
  unsubscribe(): Promise<void>;
}

export interface SubscriptionTarget {
  stream: string;
  group: string;
  /** Max unacked in-flight messages on this connection (server `buffer_size`). */
  bufferSize: number;
}

export interface PersistentSubscriptionSource {
  /** Must not throw: failures to subscribe surface as `onDropped`. */
  subscribe(target: SubscriptionTarget, handlers: SourceHandlers): SourceSubscription;
}
