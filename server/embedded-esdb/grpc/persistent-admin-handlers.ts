import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { IPersistentSubscriptionsServer } from '@eventstore/db-client/generated/persistent_grpc_pb';
import {
  type CreateReq,
  CreateResp,
  DeleteResp,
  GetInfoResp,
  ListResp,
  ReplayParkedResp,
  type UpdateReq,
  UpdateResp,
} from '@eventstore/db-client/generated/persistent_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import type { StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';
import type { Access } from '../auth/access-policy';
import { PersistentSubscriptionError } from '../persistent/errors';
import { ALL_STREAM, type PersistentSubscriptionService } from '../persistent/subscription-service';
import type { GroupSettings } from '../persistent/settings';
import { toAllFilter, toAllStart } from './all-options-mapping';
import { toSubscriptionInfo } from './info-mapping';
import { toGroupSettings, unknownStrategyOf } from './settings-mapping';
import { fromStreamIdentifier } from './stream-name';
import { type CallGuard, insecureGuard } from './call-guard';
import { invalidArgument, toServiceError } from './to-service-error';


/** Checks `access`, runs `handle` and answers the unary call with its result or the mapped error (§4.5). */
function answer<Req, Resp>(
  guard: CallGuard,
  access: Access,
  call: ServerUnaryCall<Req, Resp>,
  callback: sendUnaryData<Resp>,
  handle: (request: Req) => Resp,
): void {
  const checked = guard(call.metadata, access);
  if (checked.error) {
    callback(checked.error);
    return;
  }
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

type WireOptions = CreateReq.Options | UpdateReq.Options;
type Target = { stream: string; all?: CreateReq.AllOptions | UpdateReq.AllOptions };

/**
 * Create/Update target: the `all` option, the `stream` oneof, or (6.2.1's form) the plain
 * `stream_identifier`. A to-stream request naming `$all` fails like on the server.
 */
function toTarget(options: WireOptions): Target {
  const all = options.getAll();
  if (all) return { stream: ALL_STREAM, all };
  const streamOptions = options.getStream();
  const stream = fromStreamIdentifier(streamOptions ? streamOptions.getStreamIdentifier() : options.getStreamIdentifier());
  if (stream === ALL_STREAM) {
    throw new PersistentSubscriptionError('failed', stream, options.getGroupName(), 'Use the $all option to subscribe to $all.');
  }
  return { stream };
}

/** `$all` groups take their start from `AllOptions`, not from the stream revision fields. */
function withStart(settings: GroupSettings, target: Target, group: string): GroupSettings {
  if (!target.all) return settings;
  const start = toAllStart(target.all);
  if ('reason' in start) throw new PersistentSubscriptionError('failed', ALL_STREAM, group, start.reason);
  return { ...settings, startFrom: start.startFrom };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw invalidArgument(`${what} is required.`);
  return value;
}

/** The unary PersistentSubscriptions methods (everything except Read). */
export function createPersistentAdminHandlers(
  service: PersistentSubscriptionService,
  guard: CallGuard = insecureGuard,
): Pick<IPersistentSubscriptionsServer, 'create' | 'update' | 'delete' | 'getInfo' | 'list' | 'replayParked' | 'restartSubsystem'> {
  return {
    create: (call, callback) =>
      answer(guard, 'operations', call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const target = toTarget(options);
        const wire = required(options.getSettings(), 'settings');
        const unknownStrategy = unknownStrategyOf(wire);
        if (unknownStrategy !== undefined) {
          throw new PersistentSubscriptionError('failed', target.stream, options.getGroupName(), `Consumer strategy ${unknownStrategy} does not exist.`);
        }
        const settings = withStart(toGroupSettings(wire, options.getStream()), target, options.getGroupName());
        const all = options.getAll();
        service.create(target.stream, options.getGroupName(), settings, all ? toAllFilter(all) : undefined);
        return new CreateResp();
      }),

    update: (call, callback) =>
      answer(guard, 'operations', call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const target = toTarget(options);
        const wire = required(options.getSettings(), 'settings');
        const settings = withStart(toGroupSettings(wire, options.getStream()), target, options.getGroupName());
        service.update(target.stream, options.getGroupName(), settings);
        return new UpdateResp();
      }),

    delete: (call, callback) =>
      answer(guard, 'operations', call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        service.delete(streamOf(options), options.getGroupName());
        return new DeleteResp();
      }),

    getInfo: (call, callback) =>
      answer(guard, 'authenticated', call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const info = service.getInfo(streamOf(options), options.getGroupName());
        return new GetInfoResp().setSubscriptionInfo(toSubscriptionInfo(info));
      }),

    list: (call, callback) =>
      answer(guard, 'authenticated', call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const forStream = options.getListForStream();
        const infos = forStream
          ? service.listForStream(forStream.hasAll() ? ALL_STREAM : fromStreamIdentifier(forStream.getStream()))
          : service.listAll();
        return new ListResp().setSubscriptionsList(infos.map(toSubscriptionInfo));
      }),

    replayParked: (call, callback) =>
      answer(guard, 'operations', call, callback, (request) => {
        const options = required(request.getOptions(), 'options');
        const stopAt = options.hasStopAt() ? Number(options.getStopAt()) : undefined;
        service.replayParked(streamOf(options), options.getGroupName(), stopAt);
        return new ReplayParkedResp();
      }),

    restartSubsystem: (call, callback) =>
      answer(guard, 'operations', call, callback, () => {
        service.restartSubsystem();
        return new Empty();
      }),
  };
}
