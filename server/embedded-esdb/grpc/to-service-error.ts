import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { PersistentSubscriptionError } from '../persistent/errors';

/** A status for `callback(error)` / `call.emit('error', …)`: code, details and trailing metadata. */
export type StatusError = Partial<ServiceError> & { code: status; details: string; metadata: Metadata };

function withTrailers(code: status, details: string, trailers: Record<string, string>): StatusError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, toAsciiMetadataValue(value));
  return Object.assign(new Error(details), { code, details, metadata });
}

/**
 * gRPC ASCII metadata values may only hold printable ASCII; grpc-js throws on anything else, which
 * turned every error about a non-ASCII stream or group name into UNKNOWN. Such values are sent
 * percent-encoded instead (the client reads these trailers only for display).
 */
function toAsciiMetadataValue(value: string): string {
  return /^[\x20-\x7E]*$/.test(value) ? value : encodeURIComponent(value);
}

/**
 * The one mapping from domain errors to the wire (esdb-semantics §4.5). The Node client turns the
 * `exception` trailer into its error class and formats `"<code> <NAME>: <details>"`.
 */
export function toServiceError(error: unknown): StatusError {
  if (isStatusError(error)) return error;
  if (error instanceof PersistentSubscriptionError) {
    const { stream, group } = error;
    const names = { 'stream-name': stream, 'group-name': group };
    switch (error.kind) {
      case 'does-not-exist':
        return withTrailers(status.NOT_FOUND, `Subscription group ${group} on stream ${stream} does not exist.`, {
          exception: 'persistent-subscription-does-not-exist',
          ...names,
        });
      case 'exists':
        return withTrailers(status.ALREADY_EXISTS, `Subscription group ${group} on stream ${stream} exists.`, {
          exception: 'persistent-subscription-exists',
          ...names,
        });
      case 'maximum-subscribers-reached':
        return withTrailers(
          status.FAILED_PRECONDITION,
          `Maximum subscriptions reached for subscription group ${group} on stream ${stream}.`,
          { exception: 'maximum-subscribers-reached', ...names },
        );
      case 'dropped':
        return withTrailers(status.CANCELLED, `Subscription group ${group} on stream ${stream} was dropped.`, {
          exception: 'persistent-subscription-dropped',
          ...names,
        });
      case 'failed':
        return withTrailers(status.INTERNAL, `Subscription group ${group} on stream ${stream} failed: '${error.reason}'`, {
          exception: 'persistent-subscription-failed',
          ...names,
          reason: error.reason,
        });
      case 'not-ready':
        return withTrailers(status.UNAVAILABLE, 'Server Is Not Ready', {});
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return withTrailers(status.UNKNOWN, message, {});
}

/** Invalid request shape (e.g. a missing oneof the client always sets). */
export function invalidArgument(details: string): StatusError {
  return withTrailers(status.INVALID_ARGUMENT, details, {});
}

function isStatusError(error: unknown): error is StatusError {
  return error instanceof Error && typeof (error as StatusError).code === 'number' && (error as StatusError).metadata instanceof Metadata;
}
