import type { CreateReq, UpdateReq } from '@eventstore/db-client/generated/persistent_pb';
import { type ConsumerStrategyName, type GroupSettings, START_FROM_END } from '../persistent/settings';

type WireSettings = CreateReq.Settings | UpdateReq.Settings;
type WireStreamOptions = CreateReq.StreamOptions | UpdateReq.StreamOptions;

/** 2^64−1, how a uint64 carries the server's −1 ("from the end"). */
const UINT64_MAX = 18446744073709551615n;
const TICKS_PER_MS = 10_000n;

/** `named_consumer_strategy` enum values. */
const STRATEGIES: Record<number, ConsumerStrategyName> = { 0: 'DispatchToSingle', 1: 'RoundRobin', 2: 'Pinned' };

/**
 * Create/Update settings → group settings. The 6.2.1 client leaves the `stream` oneof unset and
 * sends the start in the deprecated `Settings.revision`; when `StreamOptions` is present it wins
 * (the server's two branches, esdb-semantics §1).
 */
export function toGroupSettings(settings: WireSettings, streamOptions: WireStreamOptions | undefined): GroupSettings {
  const strategyName = strategyStringOf(settings);
  const consumerStrategy: ConsumerStrategyName =
    strategyName === 'RoundRobin' || strategyName === 'DispatchToSingle' || strategyName === 'Pinned'
      ? strategyName
      : (STRATEGIES[settings.getNamedConsumerStrategy()] ?? 'DispatchToSingle');
  return {
    startFrom: toStartFrom(settings, streamOptions),
    resolveLinkTos: settings.getResolveLinks(),
    extraStatistics: settings.getExtraStatistics(),
    messageTimeoutMs: settings.hasMessageTimeoutTicks()
      ? Number(BigInt(settings.getMessageTimeoutTicks()) / TICKS_PER_MS)
      : settings.getMessageTimeoutMs(),
    maxRetryCount: settings.getMaxRetryCount(),
    checkPointAfterMs: settings.hasCheckpointAfterTicks()
      ? Number(BigInt(settings.getCheckpointAfterTicks()) / TICKS_PER_MS)
      : settings.getCheckpointAfterMs(),
    minCheckPointCount: settings.getMinCheckpointCount(),
    maxCheckPointCount: settings.getMaxCheckpointCount(),
    maxSubscriberCount: settings.getMaxSubscriberCount(),
    liveBufferSize: settings.getLiveBufferSize(),
    readBatchSize: settings.getReadBatchSize(),
    historyBufferSize: settings.getHistoryBufferSize(),
    consumerStrategy,
  };
}

/** Unknown consumer strategy names (string field) fail like on the server. */
export function unknownStrategyOf(settings: WireSettings): string | undefined {
  const name = strategyStringOf(settings);
  if (name === '' || name === 'RoundRobin' || name === 'DispatchToSingle' || name === 'Pinned') return undefined;
  return name;
}

/** The string `consumer_strategy` exists on Create only (the Node client never sets it). */
function strategyStringOf(settings: WireSettings): string {
  return 'getConsumerStrategy' in settings ? settings.getConsumerStrategy() : '';
}

function toStartFrom(settings: WireSettings, streamOptions: WireStreamOptions | undefined): number {
  if (streamOptions?.hasStart()) return 0;
  if (streamOptions?.hasEnd()) return START_FROM_END;
  const revision = streamOptions?.hasRevision() ? streamOptions.getRevision() : settings.getRevision();
  return revisionToNumber(revision);
}

function revisionToNumber(revision: string): number {
  const value = BigInt(revision || '0');
  if (value === UINT64_MAX) return START_FROM_END;
  return Number(value);
}
