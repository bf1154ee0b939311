import { describe, expect, it } from 'vitest';

import { DEFAULT_VIEW } from '@/components/subscriptions/subscriptions-view';

import { parseOverviewParams, serializeOverviewParams } from './search-params';

const parse = (qs: string) => parseOverviewParams(new URLSearchParams(qs));

describe('overview search params', () => {
  it('round-trips a view and leaves defaults out', () => {
    const view = { sort: 'parked', dir: 'asc', q: 'bill ing&x', health: 'problems' } as const;
    expect(parse(serializeOverviewParams(view))).toEqual(view);
    expect(serializeOverviewParams(DEFAULT_VIEW)).toBe('');
    expect(parse('')).toEqual(DEFAULT_VIEW);
  });

  it('falls back to defaults for unknown values and uses the column default direction', () => {
    expect(parse('sort=nope&dir=up&health=bad')).toEqual(DEFAULT_VIEW);
    expect(parse('sort=name')).toMatchObject({ sort: 'name', dir: 'asc' });
    expect(parse('sort=parked')).toMatchObject({ sort: 'parked', dir: 'desc' });
  });

  it('caps the text filter', () => {
    expect(parse(`q=${'x'.repeat(500)}`).q).toHaveLength(200);
  });
});
