export type PersistentSubscriptionErrorKind =
  | 'does-not-exist'
  | 'exists'
  | 'failed'
  | 'maximum-subscribers-reached'
  | 'dropped'
  | 'not-ready';

/**
 * An expected failure of a persistent-subscription operation. The gRPC layer maps each kind to the
 * status, details and trailers of esdb-semantics §4.5 in one place (`grpc/to-service-error.ts`).
 */
export class PersistentSubscriptionError extends Error {
  constructor(
    readonly kind: PersistentSubscriptionErrorKind,
    readonly stream: string,
    readonly group: string,
    /** Only for kind 'failed': the reason shown in the details and the `reason` trailer. */
    readonly reason = '',
  ) {
    super(`${kind}: group ${group} on stream ${stream}${reason ? `: ${reason}` : ''}`);
    this.name = 'PersistentSubscriptionError';
  }
}
