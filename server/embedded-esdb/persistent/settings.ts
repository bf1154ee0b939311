export type ConsumerStrategyName = 'DispatchToSingle' | 'RoundRobin' | 'Pinned';

/** Stream revision meaning "start live, at the end of the stream" (the wire's 2^64−1 read as −1). */
export const START_FROM_END = -1;

/**
 * Settings of one subscription group, in server units. Field names follow GetInfo's
 * `SubscriptionInfo` so that every value round-trips to the client exactly (esdb-semantics §5).
 */
export interface GroupSettings {
  /** Inclusive first revision when no checkpoint exists; START_FROM_END for live-only. */
  readonly startFrom: number;
  readonly resolveLinkTos: boolean;
  readonly extraStatistics: boolean;
  readonly messageTimeoutMs: number;
  readonly maxRetryCount: number;
  /** 0 disables time-based checkpoints. */
  readonly checkPointAfterMs: number;
  readonly minCheckPointCount: number;
  readonly maxCheckPointCount: number;
  /** 0 means unlimited. */
  readonly maxSubscriberCount: number;
  readonly liveBufferSize: number;
  readonly readBatchSize: number;
  readonly historyBufferSize: number;
  readonly consumerStrategy: ConsumerStrategyName;
}

/** The Node client's defaults (esdb-semantics §1), handy for tests and direct callers. */
export const DEFAULT_GROUP_SETTINGS: GroupSettings = {
  startFrom: START_FROM_END,
  resolveLinkTos: false,
  extraStatistics: false,
  messageTimeoutMs: 30_000,
  maxRetryCount: 10,
  checkPointAfterMs: 2_000,
  minCheckPointCount: 10,
  maxCheckPointCount: 1_000,
  maxSubscriberCount: 0,
  liveBufferSize: 500,
  readBatchSize: 20,
  historyBufferSize: 500,
  consumerStrategy: 'RoundRobin',
};

/** The failure reason a real server gives for invalid settings, or undefined when they are valid. */
export function validateGroupSettings(settings: GroupSettings): string | undefined {
  if (settings.startFrom < START_FROM_END) return 'Start from revision must be greater than or equal to -1.';
  if (settings.readBatchSize >= settings.historyBufferSize) {
    return 'ReadBatchSize may not be greater than or equal to BufferSize';
  }
  return undefined;
}
