/**
 * What kind of failure keeps a subscriber from being live, from the drop reason the source reports
 * (the client error's class name and message, esdb-semantics.md §4.5–§4.6). Each kind is one
 * subscriber condition with one log line when it starts (not per retry) — see the subscriber.
 */

export const connectionFailureKinds = [
  /** The group has `maxSubscriberCount` consumers already (`maximum-subscribers-reached`). */
  'maximum-subscribers-reached',
  /** The group does not exist (`persistent-subscription-does-not-exist`); created only if configured. */
  'group-missing',
  /** The stream was deleted or tombstoned (`stream-deleted`). */
  'stream-deleted',
  /** The server cannot be reached (UNAVAILABLE, refused, deadline exceeded). */
  'server-unavailable',
  /** The server dropped the group's clients (`persistent-subscription-dropped`: reload, faulted group). */
  'dropped-by-server',
  /** Anything else (stream ended, unknown errors). */
  'connection-lost',
] as const;
export type ConnectionFailureKind = (typeof connectionFailureKinds)[number];

const RULES: ReadonlyArray<readonly [RegExp, ConnectionFailureKind]> = [
  [/MaximumSubscribersReached|maximum-subscribers-reached/i, 'maximum-subscribers-reached'],
  [/PersistentSubscriptionDoesNotExist|persistent-subscription-does-not-exist/i, 'group-missing'],
  [/StreamDeleted|stream-deleted/i, 'stream-deleted'],
  [/Unavailable|ECONNREFUSED|DeadlineExceeded|No connection established/i, 'server-unavailable'],
  [/PersistentSubscriptionDropped|persistent-subscription-dropped/i, 'dropped-by-server'],
];

/** Pure: the failure kind of one drop reason; first matching rule wins. */
export function classifyConnectionFailure(reason: string): ConnectionFailureKind {
  for (const [pattern, kind] of RULES) if (pattern.test(reason)) return kind;
  return 'connection-lost';
}

/** The log line / dashboard text for a kind: what happens next, for an operator. */
export function describeConnectionFailure(kind: ConnectionFailureKind): string {
  switch (kind) {
    case 'maximum-subscribers-reached':
      return 'the group has its maximum number of subscribers; retrying with backoff';
    case 'group-missing':
      return 'the persistent subscription group does not exist (it is created only when createIfMissing is configured); retrying with backoff';
    case 'stream-deleted':
      return 'the stream was deleted; retrying with backoff';
    case 'server-unavailable':
      return 'the server is unavailable; retrying with backoff';
    case 'dropped-by-server':
      return 'the server dropped the subscription (group reloaded or faulted); resubscribing with backoff';
    case 'connection-lost':
      return 'the subscription was lost; resubscribing with backoff';
  }
}
