/**
 * What route handlers may call on the runtime (published on globalThis by server/registry.ts).
 * Every method takes plain input and throws AppError (lib/errors.ts) for expected failures.
 */
import type {
  DemoConsumerStats,
  Epoch,
  HeldResponse,
  InstancesResponse,
  LiveEvent,
  ParkedResponse,
  ReplayResponse,
  SnapshotEvent,
  SubscriptionDetail,
  SubscriptionSummary,
} from './schemas';

export interface SubscriptionRef {
  stream: string;
  group: string;
}

export interface AuthSettings {
  /** Admin token (bearer / login secret). */
  token: string;
  /** `SUBWATCH_PUBLIC_READ=1`: GET routes and read-only views work without login. */
  publicRead: boolean;
}

export interface SubwatchService {
  readonly auth: AuthSettings;
  listSubscriptions(): Promise<SubscriptionSummary[]>;
  /** @throws AppError NOT_FOUND when the group does not exist on the server. */
  getSubscription(input: SubscriptionRef): Promise<SubscriptionDetail>;
  /** Newest first. Empty for groups subwatch does not proxy. */
  listEpochs(input: SubscriptionRef & { limit: number }): Promise<Epoch[]>;
  /** @throws AppError CONFLICT when the group is not proxied by this instance. */
  reconnect(input: SubscriptionRef & { actor: string }): Promise<void>;
  /**
   * One page of the group's parked messages, oldest first, from the absolute parked event number
   * `from` (default: the oldest visible). @throws AppError NOT_FOUND when the group does not exist.
   */
  listParked(input: SubscriptionRef & { limit: number; from?: number }): Promise<ParkedResponse>;
  /**
   * Asks the server to redeliver parked messages before `stopAt` (absolute, exclusive; all when
   * absent). The server answers at once and replays asynchronously. Emits an `action` event.
   * @throws AppError NOT_FOUND when the group does not exist.
   */
  replayParked(input: SubscriptionRef & { stopAt?: number; actor: string }): Promise<ReplayResponse>;
  /**
   * Parks a delivery this instance's subscriber holds (in flight or waiting for a retry).
   * Resolves once the nack park was sent. Emits an `action` event.
   * @throws AppError NOT_FOUND when the group is not proxied here or no such delivery is held.
   */
  park(input: SubscriptionRef & { eventId: string; reason?: string; actor: string }): Promise<true>;
  /**
   * The deliveries this instance's subscriber of the group holds right now (what park() can act
   * on), oldest first, at most `limit`. Answered from memory for a proxied group.
   * @throws AppError CONFLICT when the group exists but is not proxied here, NOT_FOUND when it
   * does not exist either.
   */
  listHeld(input: SubscriptionRef & { limit: number }): Promise<HeldResponse>;
  /** The latest 1 s snapshot (null before the first poll completes). */
  getLatestSnapshot(): SnapshotEvent | null;
  /**
   * The snapshots of the last minutes before the latest one, oldest first (the `history` event
   * sent on connect, followed by the latest as `snapshot`); bounded by time, count and rows
   * (lib/monitor/snapshot-history.ts).
   */
  getSnapshotHistory(): SnapshotEvent[];
  /** Registers a listener for live events; returns the unsubscribe function. */
  subscribeLive(listener: (event: LiveEvent) => void): () => void;
  /**
   * Every subwatch instance heartbeating into this instance's dedup store (itself included once
   * its first beat is written), live or stale, and each group's totals over them.
   * @throws AppError UNAVAILABLE when the store does not answer.
   */
  listInstances(): Promise<InstancesResponse>;
  /** Null outside demo mode. */
  getDemoConsumer(): DemoConsumerStats | null;
  readiness(): Promise<{ ready: boolean; reasons: string[] }>;
  /** Prometheus text exposition (DESIGN.md §9) and its content type. */
  metrics(): Promise<{ contentType: string; body: string }>;
}
