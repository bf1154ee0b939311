import { formatExact } from '@/components/format';
import type { DuplicatesByCause, SubscriberFailureInfo, SubscriberState, SubscriberSummary } from '@/lib/api/schemas';

const TONE: Record<SubscriberState, string> = {
  live: 'ok',
  connecting: 'warn',
  backoff: 'warn',
  stopped: 'off',
};

/** What each failure kind means for an operator (lib/subscriber/connection-failure.ts). */
const FAILURE_TEXT: Record<SubscriberFailureInfo['kind'], string> = {
  'maximum-subscribers-reached': 'The group already has its maximum number of subscribers: another consumer holds the slot.',
  'group-missing': 'The persistent subscription group does not exist; subwatch creates it only when createIfMissing is configured.',
  'stream-deleted': 'The stream was deleted; nothing will be delivered until it is written again or the group is recreated.',
  'server-unavailable': 'The server cannot be reached.',
  'dropped-by-server': 'The server dropped the subscription (group reloaded, updated or faulted).',
  'connection-lost': 'The connection was lost.',
};

/** Why each suppressed duplicate was most likely redelivered (lib/subscriber/duplicate-cause.ts). */
const CAUSE_TEXT: Record<keyof DuplicatesByCause, string> = {
  reconnect: 'in flight when a connection ended',
  timeout: 'message timeout while the sink was still busy',
  reload: 'group reloaded from its checkpoint',
  replay: 'parked message replayed after it was processed',
  other: 'second link, unseen reload or shared key',
};

const CAUSES = Object.keys(CAUSE_TEXT) as Array<keyof DuplicatesByCause>;

/** The state; while failing, the tooltip names the failure (the subscription page shows it in full). */
export function SubscriberStateChip({ state, failure }: { state: SubscriberState; failure?: SubscriberFailureInfo | null }) {
  return (
    <span
      className={`chip chip-${TONE[state]}`}
      data-testid="subscriber-state"
      title={failure ? `${failure.kind}: ${failure.message}` : undefined}
    >
      {state}
    </span>
  );
}

/**
 * The subscriber's failure (while not live) and its suppressed duplicates by cause, for the
 * subscription page. Texts are rendered as text (the message comes from the server).
 */
export function SubscriberCondition({ subscriber }: { subscriber: SubscriberSummary }) {
  const { failure, duplicatesByCause } = subscriber;
  return (
    <div className="subscriber-condition">
      {failure && (
        <div className="banner banner-warning" role="status" data-testid="subscriber-failure">
          <strong>
            Subscriber {subscriber.state}: {failure.kind}
          </strong>{' '}
          since <time dateTime={failure.since}>{failure.since}</time>, retrying with backoff.{' '}
          {FAILURE_TEXT[failure.kind]}
          <div className="mono muted">{failure.message}</div>
        </div>
      )}
      <dl className="kv-grid" data-testid="duplicates-by-cause">
        {CAUSES.map((cause) => (
          <div key={cause} className="kv" title={CAUSE_TEXT[cause]}>
            <dt>Duplicates: {cause}</dt>
            <dd className="num-text" data-testid={`duplicates-${cause}`}>
              {formatExact(duplicatesByCause[cause])}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
