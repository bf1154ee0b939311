import { LINK_EVENT_TYPE, type ProposedEvent } from '../log/recorded-event';
import { type GroupMessage, originalOf } from './group-message';

/** Metadata of a parked `$>` record (Newtonsoft camelCase; defaults omitted, so a 0 number is absent). */
export interface ParkedMetadata {
  readonly added: string;
  readonly reason: string;
  readonly subscriptionEventNumber?: number;
}

/**
 * The record written to `$persistentsubscription-<key>-parked` (server `PersistentSubscriptionMessageParker`):
 * a link to the resolved event, or the original link data when the link could not be resolved.
 */
export function toParkedRecord(message: GroupMessage, reason: string, id: string, now: Date): ProposedEvent {
  const { event, link } = message.resolved;
  const data = event ? Buffer.from(`${event.revision}@${event.streamId}`) : Buffer.from(link!.data);
  const eventNumber = originalOf(message.resolved).revision;
  const metadata: ParkedMetadata = {
    added: now.toISOString(),
    reason,
    ...(eventNumber !== 0 ? { subscriptionEventNumber: eventNumber } : {}),
  };
  return {
    id,
    type: LINK_EVENT_TYPE,
    isJson: false,
    data,
    metadata: Buffer.from(JSON.stringify(metadata)),
  };
}

export function explicitNackReason(reason: string): string {
  return `Client explicitly NAK'ed message.\n${reason}`;
}

export function retryLimitReason(maxRetryCount: number): string {
  return `Reached retry count of ${maxRetryCount}`;
}
