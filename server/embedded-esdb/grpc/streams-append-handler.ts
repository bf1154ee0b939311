import { Metadata, status, type handleClientStreamingCall } from '@grpc/grpc-js';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import type { AppendResult, EventLog } from '../log/event-log';
import type { ExpectedRevision } from '../log/expected-revision';
import type { ProposedEvent } from '../log/recorded-event';
import { streamDeleted } from './stream-errors';
import { fromStreamIdentifier } from './stream-name';
import { type CallGuard, insecureGuard } from './call-guard';
import { invalidArgument, type StatusError, toServiceError } from './to-service-error';
import { fromUuid } from './uuid';

function missingMetadata(): StatusError {
  const metadata = new Metadata();
  metadata.set('exception', 'missing-required-metadata-property');
  metadata.set('required-metadata-properties', 'type,content-type');
  const details = 'Required metadata properties are missing: type,content-type';
  return Object.assign(new Error(details), { code: status.INVALID_ARGUMENT, details, metadata });
}

function toExpected(options: AppendReq.Options): ExpectedRevision {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION:
      return Number(options.getRevision());
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return 'no_stream';
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return 'stream_exists';
    default:
      return 'any';
  }
}

function toProposed(message: AppendReq.ProposedMessage): ProposedEvent | undefined {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) return undefined;
  return {
    id: fromUuid(message.getId()),
    type,
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/**
 * Wrong expected version travels in the response body with status OK (§4.7); both oneofs must be
 * set or the client's promise never settles.
 */
function toAppendResp(result: Exclude<AppendResult, { kind: 'stream-deleted' }>): AppendResp {
  if (result.kind === 'success') {
    const success = new AppendResp.Success();
    if (result.currentRevision < 0) success.setNoStream(new Empty());
    else success.setCurrentRevision(String(result.currentRevision));
    success.setPosition(new AppendResp.Position().setCommitPosition(String(result.position)).setPreparePosition(String(result.position)));
    return new AppendResp().setSuccess(success);
  }
  // The deprecated *_2060 mirrors are left unset: 6.2.1 reads only the current fields.
  const wrong = new AppendResp.WrongExpectedVersion();
  if (result.currentRevision < 0) wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(String(result.currentRevision));
  const expected = result.expected;
  if (expected === 'any') wrong.setExpectedAny(new Empty());
  else if (expected === 'no_stream') wrong.setExpectedNoStream(new Empty());
  else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
  else wrong.setExpectedRevision(String(expected));
  return new AppendResp().setWrongExpectedVersion(wrong);
}

/** Streams.Append: options first, then proposed messages; the batch is committed atomically at end of input. */
export function createStreamsAppendHandler(log: EventLog, guard: CallGuard = insecureGuard): handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let failed = false;
    const fail = (error: StatusError) => {
      if (failed) return;
      failed = true;
      callback(error);
    };
    call.on('data', (request: AppendReq) => {
      if (failed) return;
      if (!options) {
        options = request.getOptions();
        if (!options) fail(invalidArgument('The first append message must be options.'));
        return;
      }
      const message = request.getProposedMessage();
      if (!message) return;
      const proposed = toProposed(message);
      if (!proposed) fail(missingMetadata());
      else events.push(proposed);
    });
    call.on('end', () => {
      if (failed) return;
      if (!options) {
        fail(invalidArgument('Append options are required.'));
        return;
      }
      const stream = fromStreamIdentifier(options.getStreamIdentifier());
      const checked = guard(call.metadata, { stream, operation: 'write' });
      if (checked.error) {
        fail(checked.error);
        return;
      }
      // Acknowledged only after the fsync that covers the batch (group commit, `appendDurable`).
      log.appendDurable(stream, toExpected(options), events).then(
        (result) => {
          if (result.kind === 'stream-deleted') callback(streamDeleted(stream));
          else callback(null, toAppendResp(result));
        },
        // The data log could not write or sync the batch (e.g. disk full): nothing was committed.
        (error: unknown) => callback(toServiceError(error)),
      );
    });
    call.on('error', () => {
      // The client went away mid-append: nothing was committed and nobody is left to answer.
      failed = true;
    });
  };
}
