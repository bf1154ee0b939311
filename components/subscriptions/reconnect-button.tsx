'use client';

import { formatClock } from '../format';
import { useReconnect } from '../hooks/use-reconnect';
import { useAccess } from '../hooks/use-session';

/**
 * "Force reconnect": drops the subscriber's connection so a new epoch starts. Disabled, with the
 * reason next to it, when the visitor is not logged in or subwatch does not proxy the group.
 */
export function ReconnectButton({ stream, group, proxied }: { stream: string; group: string; proxied: boolean }) {
  const { canWrite, loading } = useAccess();
  const reconnect = useReconnect(stream, group);
  const disabledReason = loading
    ? null
    : !canWrite
      ? 'Log in to force a reconnect.'
      : !proxied
        ? 'Only groups that subwatch proxies can be reconnected.'
        : null;

  let outcome: { tone: 'ok' | 'error'; text: string } | null = null;
  if (reconnect.isSuccess) {
    outcome = { tone: 'ok', text: `Reconnect requested at ${formatClock(new Date(reconnect.submittedAt).toISOString())}. A new epoch starts shortly.` };
  } else if (reconnect.isError) {
    outcome = { tone: 'error', text: reconnect.error.message };
  }

  return (
    <div className="action">
      <button
        type="button"
        className="button"
        data-testid="force-reconnect"
        disabled={loading || disabledReason !== null || reconnect.isPending}
        title={disabledReason ?? 'Drop the connection and start a new epoch'}
        onClick={() => reconnect.mutate()}
      >
        {reconnect.isPending ? 'Reconnecting…' : 'Force reconnect'}
      </button>
      <p className={`action-note${outcome ? ` action-${outcome.tone}` : ''}`} aria-live="polite" data-testid="reconnect-outcome">
        {outcome?.text ?? disabledReason ?? '\u00a0'}
      </p>
    </div>
  );
}
