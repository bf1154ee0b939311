import type { SubscriptionSummary } from '@/lib/api/schemas';

const LABEL = { healthy: 'Healthy', degraded: 'Degraded', failing: 'Failing' } as const;

/** Health level with its reasons in the tooltip (and for screen readers). */
export function HealthBadge({ health }: { health: SubscriptionSummary['health'] }) {
  const reasons = health.reasons.length > 0 ? health.reasons.join('\n') : 'No problems detected';
  return (
    <span className={`badge badge-${health.level}`} title={reasons} data-testid="health-badge" data-level={health.level}>
      <span className="badge-dot" aria-hidden="true" />
      {LABEL[health.level]}
      {health.reasons.length > 0 && <span className="visually-hidden">: {health.reasons.join('; ')}</span>}
    </span>
  );
}
