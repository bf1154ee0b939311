import type { handleUnaryCall } from '@grpc/grpc-js';
import { type DeleteReq, DeleteResp, type TombstoneReq, TombstoneResp } from '@eventstore/db-client/generated/streams_pb';
import type { DeleteResult, EventLog } from '../log/event-log';
import type { ExpectedRevision } from '../log/expected-revision';
import { streamDeleted, wrongExpectedVersion } from './stream-errors';
import { fromStreamIdentifier } from './stream-name';
import { type CallGuard, insecureGuard } from './call-guard';
import { invalidArgument, type StatusError, toServiceError } from './to-service-error';

type DeleteOptions = DeleteReq.Options | TombstoneReq.Options;

function toExpected(options: DeleteOptions): ExpectedRevision {
  if (options.hasRevision()) return Number(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

/** Runs the delete; a data-log write failure (nothing deleted) becomes an error status too. */
function toOutcome(operation: string, stream: string, remove: () => DeleteResult): { error: StatusError } | { position: number } {
  let result: DeleteResult;
  try {
    result = remove();
  } catch (error) {
    return { error: toServiceError(error) };
  }
  if (result.kind === 'stream-deleted') return { error: streamDeleted(stream) };
  if (result.kind === 'wrong-expected-version') {
    return { error: wrongExpectedVersion(operation, stream, result.expected, result.currentRevision) };
  }
  return { position: result.position };
}

/** Streams.Delete: soft delete (the stream reads as not found; writing it again restarts it). */
export function createStreamsDeleteHandler(log: EventLog, guard: CallGuard = insecureGuard): handleUnaryCall<DeleteReq, DeleteResp> {
  return (call, callback) => {
    const options = call.request.getOptions();
    if (!options) return callback(invalidArgument('Delete options are required.'));
    const stream = fromStreamIdentifier(options.getStreamIdentifier());
    const checked = guard(call.metadata, { stream, operation: 'delete' });
    if (checked.error) return callback(checked.error);
    const outcome = toOutcome('Delete', stream, () => log.deleteStream(stream, toExpected(options)));
    if ('error' in outcome) return callback(outcome.error);
    const position = new DeleteResp.Position().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position));
    callback(null, new DeleteResp().setPosition(position));
  };
}

/** Streams.Tombstone: hard delete (the stream can never be used again). */
export function createStreamsTombstoneHandler(log: EventLog, guard: CallGuard = insecureGuard): handleUnaryCall<TombstoneReq, TombstoneResp> {
  return (call, callback) => {
    const options = call.request.getOptions();
    if (!options) return callback(invalidArgument('Tombstone options are required.'));
    const stream = fromStreamIdentifier(options.getStreamIdentifier());
    const checked = guard(call.metadata, { stream, operation: 'delete' });
    if (checked.error) return callback(checked.error);
    const outcome = toOutcome('Tombstone', stream, () => log.tombstoneStream(stream, toExpected(options)));
    if ('error' in outcome) return callback(outcome.error);
    const position = new TombstoneResp.Position().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position));
    callback(null, new TombstoneResp().setPosition(position));
  };
}
