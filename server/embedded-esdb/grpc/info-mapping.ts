import { SubscriptionInfo } from '@eventstore/db-client/generated/persistent_pb';
import type { GroupInfo } from '../persistent/group-info';

/** GroupInfo → `SubscriptionInfo` (esdb-semantics §5). int64 fields are decimal strings. */
export function toSubscriptionInfo(info: GroupInfo): SubscriptionInfo {
  const { settings } = info;
  const out = new SubscriptionInfo()
    .setEventSource(info.stream)
    .setGroupName(info.group)
    .setStatus(info.status)
    .setAveragePerSecond(info.averagePerSecond)
    .setTotalItems(String(info.totalItems))
    .setCountSinceLastMeasurement(String(info.countSinceLastMeasurement))
    .setLastCheckpointedEventPosition(info.lastCheckpointedPosition)
    .setLastKnownEventPosition(info.lastKnownPosition)
    .setResolveLinkTos(settings.resolveLinkTos)
    .setStartFrom(info.startFrom)
    .setMessageTimeoutMilliseconds(settings.messageTimeoutMs)
    .setExtraStatistics(settings.extraStatistics)
    .setMaxRetryCount(settings.maxRetryCount)
    .setLiveBufferSize(settings.liveBufferSize)
    .setBufferSize(settings.historyBufferSize)
    .setReadBatchSize(settings.readBatchSize)
    .setCheckPointAfterMilliseconds(settings.checkPointAfterMs)
    .setMinCheckPointCount(settings.minCheckPointCount)
    .setMaxCheckPointCount(settings.maxCheckPointCount)
    .setReadBufferCount(info.readBufferCount)
    .setLiveBufferCount(String(info.liveBufferCount))
    .setRetryBufferCount(info.retryBufferCount)
    .setTotalInFlightMessages(info.totalInFlightMessages)
    .setOutstandingMessagesCount(info.outstandingMessagesCount)
    .setNamedConsumerStrategy(settings.consumerStrategy)
    .setMaxSubscriberCount(settings.maxSubscriberCount)
    .setParkedMessageCount(String(info.parkedMessageCount));
  out.setConnectionsList(
    info.connections.map((connection) =>
      new SubscriptionInfo.ConnectionInfo()
        .setFrom('')
        .setUsername(connection.username)
        .setAverageItemsPerSecond(connection.averageItemsPerSecond)
        .setTotalItems(String(connection.totalItems))
        .setCountSinceLastMeasurement(String(connection.countSinceLastMeasurement))
        .setObservedMeasurementsList(
          connection.observedMeasurements.map((m) => new SubscriptionInfo.Measurement().setKey(m.key).setValue(String(m.value))),
        )
        .setAvailableSlots(connection.availableSlots)
        .setInFlightMessages(connection.inFlightMessages)
        .setConnectionName(connection.connectionName),
    ),
  );
  return out;
}
