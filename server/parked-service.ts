/**
 * The parked-message verbs of SubwatchService (DESIGN.md §7): list, replay, park. The runtime
 * spreads them into its service object. Every action is logged with who/what/when and reported
 * as an `action` live event, failures included.
 */
import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Logger } from 'pino';
import type { ActionOutcome, LiveEvent } from '../lib/api/schemas';
import type { SubscriptionRef, SubwatchService } from '../lib/api/service';
import { listParkedMessages, replayParkedMessages } from '../lib/esdb/parked-messages';
import { AppError, isAppError } from '../lib/errors';
import type { DeduplicatingSubscriber } from '../lib/subscriber/deduplicating-subscriber';

export type ParkedService = Pick<SubwatchService, 'listParked' | 'replayParked' | 'park' | 'listHeld'>;

export function createParkedService(options: {
  client: EventStoreDBClient;
  logger: Logger;
  emit: (event: LiveEvent) => void;
  /** The subscriber this instance runs for the group, if it proxies it. */
  getSubscriber: (ref: SubscriptionRef) => Pick<DeduplicatingSubscriber, 'park' | 'listHeld'> | undefined;
  now?: () => Date;
}): ParkedService {
  const { client, emit, getSubscriber } = options;
  const logger = options.logger.child({ component: 'parked' });
  const now = options.now ?? (() => new Date());

  function report(outcome: Omit<ActionOutcome, 'at'>): void {
    emit({ event: 'action', data: { ...outcome, at: now().toISOString() } });
  }

  /** A missing group answers NOT_FOUND; reading a parked stream of a missing group would just look empty. */
  async function requireGroup(ref: SubscriptionRef): Promise<void> {
    try {
      if (ref.stream === '$all') await client.getPersistentSubscriptionToAllInfo(ref.group);
      else await client.getPersistentSubscriptionToStreamInfo(ref.stream, ref.group);
    } catch (error) {
      throw toParkedError(error, ref);
    }
  }

  return {
    async listParked({ stream, group, limit, from }) {
      await requireGroup({ stream, group });
      try {
        return await listParkedMessages(client, { stream, group, limit, ...(from === undefined ? {} : { from }) });
      } catch (error) {
        throw toParkedError(error, { stream, group });
      }
    },

    async replayParked({ stream, group, stopAt, actor }) {
      const what = stopAt === undefined ? 'all parked messages' : `parked messages before #${stopAt}`;
      try {
        await requireGroup({ stream, group });
        const result = await replayParkedMessages(client, { stream, group, ...(stopAt === undefined ? {} : { stopAt }) });
        logger.info({ stream, group, actor, action: 'replay', stopAt, ...result }, 'operator replayed %s', what);
        report({
          action: 'replay',
          stream,
          group,
          ok: true,
          message: `Replay of ${result.requested} of ${result.parkedBefore} parked message(s) requested by ${actor}`,
        });
        return result;
      } catch (error) {
        const mapped = toParkedError(error, { stream, group });
        logger.warn({ err: error, stream, group, actor, action: 'replay', stopAt }, 'operator replay of %s failed', what);
        report({ action: 'replay', stream, group, ok: false, message: `Replay failed: ${messageOf(mapped)}` });
        throw mapped;
      }
    },

    async park({ stream, group, eventId, reason, actor }) {
      const subscriber = getSubscriber({ stream, group });
      const why = reason && reason.length > 0 ? reason : `Parked by ${actor}`;
      const parked = subscriber ? await subscriber.park(eventId, why) : false;
      if (!parked) {
        const message = subscriber
          ? `No delivery of ${eventId} is in flight or held by the subscriber of ${stream}/${group} (it may have been delivered already)`
          : `${stream}/${group} is not proxied by this subwatch instance; only messages its subscriber holds can be parked`;
        logger.info({ stream, group, actor, action: 'park', eventId, reason: why }, 'operator park refused: %s', message);
        report({ action: 'park', stream, group, ok: false, message: `Park of ${eventId} refused: ${message}` });
        throw new AppError('NOT_FOUND', message);
      }
      logger.info({ stream, group, actor, action: 'park', eventId, reason: why }, 'operator parked a message');
      report({ action: 'park', stream, group, ok: true, message: `Event ${eventId} parked by ${actor}: ${why}` });
      return true;
    },

    async listHeld({ stream, group, limit }) {
      const subscriber = getSubscriber({ stream, group });
      if (subscriber) return subscriber.listHeld(limit);
      // Like reconnect: only a subscriber of this instance holds deliveries; an unknown group is 404.
      await requireGroup({ stream, group });
      throw new AppError(
        'CONFLICT',
        `${stream}/${group} is not proxied by this subwatch instance; only its own subscribers hold deliveries`,
      );
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Client errors → AppError by `type` / gRPC code (never instanceof across bundles); others unchanged. */
function toParkedError(error: unknown, ref: SubscriptionRef): unknown {
  if (isAppError(error)) return error;
  const type = (error as { type?: string }).type;
  const code = (error as { code?: number }).code;
  if (type === 'persistent-subscription-does-not-exist' || type === 'not-found') {
    return new AppError('NOT_FOUND', `No persistent subscription ${ref.group} on ${ref.stream}`);
  }
  if (type === 'unavailable' || code === 14) {
    return new AppError('UNAVAILABLE', `EventStoreDB unreachable: ${messageOf(error)}`);
  }
  return error;
}
