import type { SubscriptionDetail } from '@/lib/api/schemas';

/** Splits camelCase keys into words: "maxRetryCount" → "max retry count". */
function humanize(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

export function SettingsList({ settings }: { settings: SubscriptionDetail['settings'] }) {
  const entries = Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted pad">No settings reported.</p>;
  return (
    <dl className="settings" data-testid="settings">
      {entries.map(([key, value]) => (
        <div key={key} className="settings-row">
          <dt title={key}>{humanize(key)}</dt>
          <dd className="mono">{String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
