import type { SubscriptionDetail } from '@/lib/api/schemas';

/** Operator-facing names and units for the server's group settings (esdb-semantics.md §1). */
const LABELS: Record<string, { label: string; unit?: 'ms' | 'events' | 'messages' }> = {
  startFrom: { label: 'Start from (when no checkpoint)' },
  resolveLinkTos: { label: 'Resolve links' },
  extraStatistics: { label: 'Extra statistics' },
  messageTimeout: { label: 'Message timeout', unit: 'ms' },
  maxRetryCount: { label: 'Max retries before parking' },
  checkPointAfter: { label: 'Checkpoint after', unit: 'ms' },
  checkPointLowerBound: { label: 'Checkpoint min. count', unit: 'events' },
  checkPointUpperBound: { label: 'Checkpoint max. count', unit: 'events' },
  maxSubscriberCount: { label: 'Max subscribers' },
  liveBufferSize: { label: 'Live buffer', unit: 'events' },
  readBatchSize: { label: 'Read batch', unit: 'events' },
  historyBufferSize: { label: 'History buffer', unit: 'events' },
  consumerStrategyName: { label: 'Consumer strategy' },
};

/** Fallback for settings without a label: "maxRetryCount" → "Max retry count". */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function formatValue(value: string | number | boolean, unit: string | undefined): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (unit === 'ms' && typeof value === 'number') {
    return value >= 1000 && value % 1000 === 0 ? `${value / 1000} s` : `${value} ms`;
  }
  const text = typeof value === 'number' ? value.toLocaleString('en-US') : value;
  return unit ? `${text} ${unit}` : text;
}

export function SettingsList({ settings }: { settings: SubscriptionDetail['settings'] }) {
  const known = Object.keys(LABELS).filter((key) => key in settings);
  const others = Object.keys(settings)
    .filter((key) => !(key in LABELS))
    .sort();
  const keys = [...known, ...others];
  if (keys.length === 0) return <p className="muted pad">No settings reported.</p>;
  return (
    <dl className="settings" data-testid="settings">
      {keys.map((key) => {
        const meta = LABELS[key];
        return (
          <div key={key} className="settings-row">
            <dt title={key}>{meta?.label ?? humanize(key)}</dt>
            <dd>{formatValue(settings[key]!, meta?.unit)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
