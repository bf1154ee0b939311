import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { IPersistentSubscriptionsServer } from '@eventstore/db-client/generated/persistent_grpc_pb';
import {
  CreateResp,
  DeleteResp,
  GetInfoResp,
  ListResp,
  ReplayParkedResp,
  UpdateResp,
} from '@eventstore/db-client/generated/persistent_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import type { StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';
import { PersistentSubscriptionError } from '../persistent/errors';
import type { PersistentSubscriptionService } from '../persistent/subscription-service';
import { toSubscriptionInfo } from './info-mapping';
import { toGroupSettings, unknownStrategyOf } from './settings-mapping';
import { fromStreamIdentifier } from './stream-name';
import { invalidArgument, toServiceError } from './to-service-error';

export const ALL_STREAM = '$all';

/** Runs `handle` and answers the unary call with its result or the mapped error (§4.5). */
function answer<Req, Resp>(call: ServerUnaryCall<Req, Resp>, callback: sendUnaryData<Resp>, handle: (request: Req) => Resp): void {
  let response: Resp;
  try {
    response = handle(call.request);
  } catch (error) {
    callback(toServiceError(error));
    return;
  }
  callback(null, response);
}

/** `stream_identifier | all` → stream name ('$all' for the all option). */
function streamOf(options: { hasAll(): boolean; getStreamIdentifier(): StreamIdentifier | undefined }): string {
  return options.hasAll() ? ALL_STREAM : fromStreamIdentifier(options.getStreamIdentifier());
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw invalidArgument(`${what} is required.`);
  return value;
}

/** The unary PersistentSubscriptions methods (everything except Read). */
export function createPersistentAdminHandlers(
  service: PersistentSubscriptionService,
): Pick<IPersistentSubscriptionsServer, 'create' | 'update' | 'delete' | 'getInfo' | 'list' | 'replayParked' | 'restartSubsystem'> {
  return {
    create: (call, callback) =>
      answer(call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const streamOptions = options.getStream();
        const stream = options.hasAll()
          ? ALL_STREAM
          : fromStreamIdentifier(streamOptions ? streamOptions.getStreamIdentifier() : options.getStreamIdentifier());
        const group = options.getGroupName();
        const wire = required(options.getSettings(), 'settings');
        const unknownStrategy = unknownStrategyOf(wire);
        if (unknownStrategy !== undefined) {
          throw new PersistentSubscriptionError('failed', stream, group, `Consumer strategy ${unknownStrategy} does not exist.`);
        }
        service.create(stream, group, toGroupSettings(wire, streamOptions));
        return new CreateResp();
      }),

    update: (call, callback) =>
      answer(call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const streamOptions = options.getStream();
        const stream = options.hasAll()
          ? ALL_STREAM
          : fromStreamIdentifier(streamOptions ? streamOptions.getStreamIdentifier() : options.getStreamIdentifier());
        const wire = required(options.getSettings(), 'settings');
        service.update(stream, options.getGroupName(), toGroupSettings(wire, streamOptions));
        return new UpdateResp();
      }),

    delete: (call, callback) =>
      answer(call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        service.delete(streamOf(options), options.getGroupName());
        return new DeleteResp();
      }),

    getInfo: (call, callback) =>
      answer(call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const info = service.getInfo(streamOf(options), options.getGroupName());
        return new GetInfoResp().setSubscriptionInfo(toSubscriptionInfo(info));
      }),

    list: (call, callback) =>
      answer(call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const forStream = options.getListForStream();
        const infos = forStream
          ? service.listForStream(forStream.hasAll() ? ALL_STREAM : fromStreamIdentifier(forStream.getStream()))
          : service.listAll();
        return new ListResp().setSubscriptionsList(infos.map(toSubscriptionInfo));
      }),

    replayParked: (call, callback) =>
      answer(call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const stopAt = options.hasStopAt() ? Number(options.getStopAt()) : undefined;
        service.replayParked(streamOf(options), options.getGroupName(), stopAt);
        return new ReplayParkedResp();
      }),

    restartSubsystem: (call, callback) =>
      answer(call, callback, () => {
        service.restartSubsystem();
        return new Empty();
      }),
  };
}
