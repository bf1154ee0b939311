/**
 * Maps the official client's GetInfo/List result to the API's SubscriptionSummary pieces.
 * Positions stay strings: stream revisions as decimals, $all positions as `C:<commit>/P:<prepare>`.
 */
import {
  END,
  START,
  type PersistentSubscriptionToAllInfo,
  type PersistentSubscriptionToStreamInfo,
  type Position,
} from '@eventstore/db-client';
import type { ConnectionInfo } from '../api/schemas';

export type SubscriptionInfo = PersistentSubscriptionToStreamInfo | PersistentSubscriptionToAllInfo;

export interface ServerView {
  stream: string;
  group: string;
  status: string;
  connections: number;
  inFlight: number;
  bufferSize: number;
  parked: number;
  lastKnown: string | null;
  lastCheckpointed: string | null;
  behind: number | null;
  ratePerSecond: number;
  slotsFull: boolean;
  /** Numeric forms for health rules (stream groups: revisions; $all: commit positions). */
  lastKnownNumber: bigint | null;
  lastCheckpointedNumber: bigint | null;
}

const positionText = (p: Position | undefined): string | null =>
  p === undefined ? null : `C:${p.commit}/P:${p.prepare}`;

export function toServerView(info: SubscriptionInfo): ServerView {
  const isAll = info.eventSource === '$all';
  const stats = info.stats;
  let lastKnownNumber: bigint | null;
  let lastCheckpointedNumber: bigint | null;
  let lastKnown: string | null;
  let lastCheckpointed: string | null;
  let behind: number | null = null;
  if (isAll) {
    const s = stats as { lastKnownEventPosition?: Position; lastCheckpointedEventPosition?: Position };
    lastKnown = positionText(s.lastKnownEventPosition);
    lastCheckpointed = positionText(s.lastCheckpointedEventPosition);
    lastKnownNumber = s.lastKnownEventPosition?.commit ?? null;
    lastCheckpointedNumber = s.lastCheckpointedEventPosition?.commit ?? null;
  } else {
    const s = stats as { lastKnownEventRevision?: bigint; lastCheckpointedEventRevision?: bigint };
    lastKnownNumber = s.lastKnownEventRevision ?? null;
    lastCheckpointedNumber = s.lastCheckpointedEventRevision ?? null;
    lastKnown = lastKnownNumber?.toString() ?? null;
    lastCheckpointed = lastCheckpointedNumber?.toString() ?? null;
    if (lastKnownNumber !== null) {
      if (lastCheckpointedNumber !== null) {
        const gap = lastKnownNumber - lastCheckpointedNumber;
        behind = gap > 0n ? Number(gap) : 0;
      } else if (info.settings.startFrom === START) {
        // No checkpoint yet and reading from the start: a restart would redeliver everything.
        behind = Number(lastKnownNumber + 1n);
      }
    }
  }
  const inFlight = info.connections.reduce((n, c) => n + c.inFlightMessages, 0);
  const bufferSize = info.connections.reduce((n, c) => n + c.inFlightMessages + c.availableSlots, 0);
  return {
    stream: info.eventSource,
    group: info.groupName,
    status: info.status,
    connections: info.connections.length,
    inFlight: Math.max(inFlight, stats.totalInFlightMessages),
    bufferSize,
    parked: Number(stats.parkedMessageCount),
    lastKnown,
    lastCheckpointed,
    behind,
    ratePerSecond: Math.max(0, stats.averagePerSecond),
    slotsFull: info.connections.length > 0 && info.connections.every((c) => c.availableSlots === 0),
    lastKnownNumber,
    lastCheckpointedNumber,
  };
}

export function toConnectionInfos(info: SubscriptionInfo): ConnectionInfo[] {
  return info.connections.map((c) => ({
    connectionName: c.connectionName,
    username: c.username,
    from: c.from,
    averageItemsPerSecond: c.averageItemsPerSecond,
    totalItems: c.totalItems.toString(),
    inFlightMessages: c.inFlightMessages,
    availableSlots: c.availableSlots,
  }));
}

/** Settings as plain JSON values (bigints and positions as strings; START/END as "start"/"end"). */
export function toSettingsRecord(info: SubscriptionInfo): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(info.settings as unknown as Record<string, unknown>)) {
    if (value === START) out[key] = 'start';
    else if (value === END) out[key] = 'end';
    else if (typeof value === 'bigint') out[key] = value.toString();
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (value && typeof value === 'object' && 'commit' in value && 'prepare' in value) {
      out[key] = positionText(value as Position) ?? '';
    }
  }
  return out;
}
