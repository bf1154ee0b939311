import { Metadata, status } from '@grpc/grpc-js';
import type { ExpectedRevision } from '../log/expected-revision';
import type { StatusError } from './to-service-error';

function statusError(code: status, details: string, trailers: Record<string, string>): StatusError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

/** `stream-deleted` (§4.5); the client's error constructor needs the `stream-name` trailer. */
export function streamDeleted(stream: string): StatusError {
  return statusError(status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': stream,
  });
}

/** Server ExpectedVersion numbers: any = −2, no_stream = −1, stream_exists = −4. */
function toVersion(expected: ExpectedRevision): number {
  if (expected === 'any') return -2;
  if (expected === 'no_stream') return -1;
  if (expected === 'stream_exists') return -4;
  return expected;
}

/**
 * Wrong expected version of Delete/Tombstone, as an error (Append answers in the body instead).
 * The client needs `stream-name` and `expected-version`; an empty `actual-version` means no stream.
 */
export function wrongExpectedVersion(operation: string, stream: string, expected: ExpectedRevision, current: number): StatusError {
  const expectedVersion = String(toVersion(expected));
  const actualVersion = current < 0 ? '' : String(current);
  return statusError(
    status.FAILED_PRECONDITION,
    `${operation} failed due to WrongExpectedVersion. Stream: ${stream}, Expected version: ${expectedVersion}, Actual version: ${actualVersion}`,
    { exception: 'wrong-expected-version', 'stream-name': stream, 'expected-version': expectedVersion, 'actual-version': actualVersion },
  );
}
