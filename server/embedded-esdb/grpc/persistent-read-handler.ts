import type { ServerDuplexStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/persistent_pb';
import type { Delivery } from '../persistent/group-connection';
import type { NackAction } from '../persistent/subscription-group';
import type { GroupSubscription, PersistentSubscriptionService } from '../persistent/subscription-service';
import { ALL_STREAM } from '../persistent/subscription-service';
import { toPersistentReadEvent, type UuidForm } from './recorded-event-mapping';
import { fromStreamIdentifier } from './stream-name';
import { type CallGuard, insecureGuard } from './call-guard';
import { invalidArgument, type StatusError, toServiceError } from './to-service-error';
import { fromUuid } from './uuid';

type ReadCall = ServerDuplexStream<ReadReq, ReadResp>;

const NACK_ACTIONS: Record<number, NackAction> = {
  [ReadReq.Nack.Action.UNKNOWN]: 'unknown',
  [ReadReq.Nack.Action.PARK]: 'park',
  [ReadReq.Nack.Action.RETRY]: 'retry',
  [ReadReq.Nack.Action.SKIP]: 'skip',
  [ReadReq.Nack.Action.STOP]: 'stop',
};

/**
 * PersistentSubscriptions.Read (§4.3): the first message must be `options`; on success the
 * confirmation `"<stream>::<group>"` goes out before any event; then acks/nacks flow in.
 * When the call ends for any reason the connection is detached, so its in-flight messages are retried.
 */
export function createPersistentReadHandler(service: PersistentSubscriptionService, guard: CallGuard = insecureGuard): (call: ReadCall) => void {
  return (call) => {
    const connectionName = call.metadata.get('connection-name')[0]?.toString() ?? '<unknown>';
    let subscription: GroupSubscription | undefined;
    let uuidForm: UuidForm = 'string';
    let finished = false;
    /** Deliveries pushed during `subscribe`, held back until the confirmation is written. */
    let pending: Delivery[] | undefined = [];

    const finish = (error?: StatusError) => {
      if (finished) return;
      finished = true;
      subscription?.close();
      if (error) call.emit('error', error);
      else call.end();
    };
    const write = (delivery: Delivery) => {
      call.write(new ReadResp().setEvent(toPersistentReadEvent(delivery.resolved, delivery.retryCount, uuidForm)));
    };

    const onOptions = (options: ReadReq.Options) => {
      const stream = options.hasAll() ? ALL_STREAM : fromStreamIdentifier(options.getStreamIdentifier());
      uuidForm = options.getUuidOption()?.hasStructured() ? 'structured' : 'string';
      const checked = guard(call.metadata, { stream, operation: 'read' });
      if (checked.error) {
        finish(checked.error);
        return;
      }
      try {
        subscription = service.subscribe(
          stream,
          options.getGroupName(),
          { connectionName, username: checked.caller.name, bufferSize: options.getBufferSize() },
          {
            deliver: (delivery) => {
              if (finished) return;
              if (pending) pending.push(delivery);
              else write(delivery);
            },
            drop: (error) => {
              // The group already detached this connection; closing it again is a no-op.
              finish(toServiceError(error));
            },
          },
        );
      } catch (error) {
        finish(toServiceError(error));
        return;
      }
      const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscription.subscriptionId);
      call.write(new ReadResp().setSubscriptionConfirmation(confirmation));
      const held = pending ?? [];
      pending = undefined;
      for (const delivery of held) write(delivery);
    };

    call.on('data', (request: ReadReq) => {
      if (finished) return;
      if (!subscription) {
        const options = request.getOptions();
        if (!options) {
          finish(invalidArgument('The first message of a persistent subscription read must be options.'));
          return;
        }
        onOptions(options);
        return;
      }
      const ack = request.getAck();
      if (ack) {
        subscription.ack(ack.getIdsList().map(fromUuid));
        return;
      }
      const nack = request.getNack();
      if (nack) {
        subscription.nack(nack.getIdsList().map(fromUuid), NACK_ACTIONS[nack.getAction()] ?? 'unknown', nack.getReason());
      }
    });
    // Client half-close or cancel, or a broken connection: detach, which retries in-flight messages.
    call.on('end', () => finish());
    call.on('cancelled', () => {
      finished = true;
      subscription?.close();
    });
    call.on('error', () => {
      finished = true;
      subscription?.close();
    });
  };
}
