import {
  DEFAULT_VIEW,
  HEALTH_FILTERS,
  SORT_KEYS,
  defaultDir,
  type HealthFilter,
  type OverviewView,
  type SortKey,
} from '@/components/subscriptions/subscriptions-view';

type Params = { get(name: string): string | null };

const MAX_QUERY = 200;

/** The overview's view from its URL (`?sort=parked&dir=asc&q=billing&health=problems`); unknown values fall back to the defaults. */
export function parseOverviewParams(params: Params): OverviewView {
  const sortRaw = params.get('sort');
  const sort = (SORT_KEYS as readonly string[]).includes(sortRaw ?? '') ? (sortRaw as SortKey) : DEFAULT_VIEW.sort;
  const dirRaw = params.get('dir');
  const dir = dirRaw === 'asc' || dirRaw === 'desc' ? dirRaw : sortRaw === null ? DEFAULT_VIEW.dir : defaultDir(sort);
  const healthRaw = params.get('health');
  const health = (HEALTH_FILTERS as readonly string[]).includes(healthRaw ?? '') ? (healthRaw as HealthFilter) : DEFAULT_VIEW.health;
  const q = (params.get('q') ?? '').slice(0, MAX_QUERY);
  return { sort, dir, q, health };
}

/** The query string for a view (leading `?`, or '' for the default view); defaults are left out so links stay short. */
export function serializeOverviewParams(view: OverviewView): string {
  const params = new URLSearchParams();
  if (view.sort !== DEFAULT_VIEW.sort || view.dir !== DEFAULT_VIEW.dir) {
    params.set('sort', view.sort);
    params.set('dir', view.dir);
  }
  if (view.q) params.set('q', view.q);
  if (view.health !== DEFAULT_VIEW.health) params.set('health', view.health);
  const text = params.toString();
  return text ? `?${text}` : '';
}
