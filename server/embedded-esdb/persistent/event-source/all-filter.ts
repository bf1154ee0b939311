import type { RecordedEvent } from '../../log/recorded-event';

/** A `$all` group's filter: on the stream id or on the event type, by regex or by prefixes. */
export interface AllFilter {
  readonly on: 'stream' | 'event-type';
  readonly regex?: string;
  readonly prefixes?: readonly string[];
}

/**
 * Server `DefaultAllFilter`: `$all` groups never see `$epoch-information` or the `$all` groups'
 * own checkpoint and parked streams (which would otherwise feed back into them).
 */
function isDefaultExcluded(event: RecordedEvent): boolean {
  return event.streamId === '$epoch-information' || event.streamId.startsWith('$persistentsubscription-$all::');
}

/**
 * The filter alone. The regex is the client's .NET pattern run as a JavaScript RegExp, which
 * agrees for the patterns the Node client builds (e.g. `^[^$].*`).
 */
export function toFilterPredicate(filter: AllFilter | undefined): (event: RecordedEvent) => boolean {
  if (!filter) return () => true;
  const pattern = filter.regex ? new RegExp(filter.regex) : undefined;
  const prefixes = filter.prefixes ?? [];
  return (event) => {
    const subject = filter.on === 'stream' ? event.streamId : event.type;
    if (pattern) return pattern.test(subject);
    return prefixes.some((prefix) => subject.startsWith(prefix));
  };
}

/** The predicate for a `$all` persistent subscription group: the default exclusions, then its filter. */
export function toAllFilterPredicate(filter: AllFilter | undefined): (event: RecordedEvent) => boolean {
  const matches = toFilterPredicate(filter);
  return (event) => !isDefaultExcluded(event) && matches(event);
}
