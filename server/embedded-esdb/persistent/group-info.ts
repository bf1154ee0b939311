import type { GroupSettings } from './settings';

export interface ConnectionInfo {
  readonly connectionName: string;
  readonly username: string;
  readonly averageItemsPerSecond: number;
  readonly totalItems: number;
  readonly countSinceLastMeasurement: number;
  /** Empty unless the group has `extraStatistics` and at least one ack was measured. */
  readonly observedMeasurements: ReadonlyArray<{ readonly key: string; readonly value: number }>;
  readonly availableSlots: number;
  readonly inFlightMessages: number;
}

/** GetInfo/List data of one group, in server units (mapped to `SubscriptionInfo` by the gRPC layer). */
export interface GroupInfo {
  readonly stream: string;
  readonly group: string;
  /** State flags string, e.g. "Live" or "Behind" (§2.1). */
  readonly status: string;
  readonly settings: GroupSettings;
  readonly connections: readonly ConnectionInfo[];
  readonly averagePerSecond: number;
  readonly totalItems: number;
  readonly countSinceLastMeasurement: number;
  /** `"41"` or `"C:x/P:y"`; '' when none (§5). */
  readonly lastCheckpointedPosition: string;
  /** `"41"` or `"C:x/P:y"`; '' when none (§5). */
  readonly lastKnownPosition: string;
  /** `"0"`, `"-1"`, `"N"`, or `"C:0/P:0"`, `"C:-1/P:-1"`, `"C:x/P:y"`. */
  readonly startFrom: string;
  readonly readBufferCount: number;
  readonly liveBufferCount: number;
  readonly retryBufferCount: number;
  readonly totalInFlightMessages: number;
  readonly outstandingMessagesCount: number;
  readonly parkedMessageCount: number;
}
