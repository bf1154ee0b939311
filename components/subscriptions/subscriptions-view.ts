import type { HealthLevel, SubscriptionSummary } from '@/lib/api/schemas';

export const SORT_KEYS = [
  'health',
  'name',
  'status',
  'connections',
  'inFlight',
  'parked',
  'behind',
  'rate',
  'subscriber',
  'received',
  'delivered',
  'duplicates',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export const HEALTH_FILTERS = ['all', 'problems', 'healthy'] as const;
export type HealthFilter = (typeof HEALTH_FILTERS)[number];

export interface OverviewView {
  sort: SortKey;
  dir: SortDir;
  q: string;
  health: HealthFilter;
}

/** Problems first: the default an on-call operator lands on. */
export const DEFAULT_VIEW: OverviewView = { sort: 'health', dir: 'desc', q: '', health: 'all' };

/** Direction a column sorts in when first clicked: counts and severity high → low, names A → Z. */
export function defaultDir(key: SortKey): SortDir {
  return key === 'name' || key === 'status' || key === 'subscriber' ? 'asc' : 'desc';
}

const SEVERITY: Record<HealthLevel, number> = { healthy: 0, degraded: 1, failing: 2 };

function value(s: SubscriptionSummary, key: SortKey): number | string | null {
  switch (key) {
    case 'health':
      return SEVERITY[s.health.level];
    case 'name':
      return `${s.group}\u0000${s.stream}`.toLowerCase();
    case 'status':
      return s.status.toLowerCase();
    case 'connections':
      return s.connections;
    case 'inFlight':
      return s.inFlight;
    case 'parked':
      return s.parked;
    case 'behind':
      return s.behind;
    case 'rate':
      return s.ratePerSecond;
    case 'subscriber':
      return s.subscriber ? s.subscriber.state : null;
    case 'received':
      return s.subscriber?.received ?? null;
    case 'delivered':
      return s.subscriber?.delivered ?? null;
    case 'duplicates':
      return s.subscriber?.duplicatesSuppressed ?? null;
  }
}

function compareValues(a: number | string | null, b: number | string | null): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function matches(s: SubscriptionSummary, q: string, health: HealthFilter): boolean {
  if (health === 'problems' && s.health.level === 'healthy') return false;
  if (health === 'healthy' && s.health.level !== 'healthy') return false;
  if (!q) return true;
  const needle = q.toLowerCase();
  return s.stream.toLowerCase().includes(needle) || s.group.toLowerCase().includes(needle);
}

/**
 * Filters (text on stream and group, health) and sorts the overview rows. Missing values (not
 * proxied, unknown) always sort last whatever the direction; ties fall back to name order so
 * rows do not swap places between snapshots.
 */
export function applyView(rows: readonly SubscriptionSummary[], view: OverviewView): SubscriptionSummary[] {
  const q = view.q.trim();
  const sign = view.dir === 'asc' ? 1 : -1;
  return rows
    .filter((s) => matches(s, q, view.health))
    .sort((a, b) => {
      const va = value(a, view.sort);
      const vb = value(b, view.sort);
      if (va === null && vb !== null) return 1;
      if (vb === null && va !== null) return -1;
      const primary = va === null || vb === null ? 0 : sign * compareValues(va, vb);
      return primary || compareValues(value(a, 'name'), value(b, 'name'));
    });
}
