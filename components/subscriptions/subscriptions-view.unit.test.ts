import { describe, expect, it } from 'vitest';

import { summary } from '../charts/test-samples';
import { applyView, DEFAULT_VIEW } from './subscriptions-view';

const rows = [
  summary({ group: 'a-ok', stream: 'orders', parked: 5 }),
  summary({ group: 'b-failing', stream: 'payments', health: { level: 'failing', reasons: ['x'] }, parked: 1 }),
  summary({ group: 'c-degraded', stream: 'orders', health: { level: 'degraded', reasons: ['y'] }, parked: 9 }),
  summary({ group: 'd-failing', stream: 'invoices', health: { level: 'failing', reasons: ['z'] }, behind: null }),
];
const names = (list: { group: string }[]) => list.map((s) => s.group);

describe('applyView', () => {
  it('puts problems first by default: failing, then degraded, then healthy, ties by name', () => {
    expect(names(applyView(rows, DEFAULT_VIEW))).toEqual(['b-failing', 'd-failing', 'c-degraded', 'a-ok']);
  });

  it('sorts by a numeric column both ways', () => {
    expect(names(applyView(rows, { ...DEFAULT_VIEW, sort: 'parked', dir: 'desc' }))).toEqual(['c-degraded', 'a-ok', 'b-failing', 'd-failing']);
    expect(names(applyView(rows, { ...DEFAULT_VIEW, sort: 'parked', dir: 'asc' }))).toEqual(['d-failing', 'b-failing', 'a-ok', 'c-degraded']);
  });

  it('keeps missing values last in either direction', () => {
    expect(names(applyView(rows, { ...DEFAULT_VIEW, sort: 'behind', dir: 'asc' })).at(-1)).toBe('d-failing');
    expect(names(applyView(rows, { ...DEFAULT_VIEW, sort: 'behind', dir: 'desc' })).at(-1)).toBe('d-failing');
  });

  it('filters by text on stream or group (case-insensitive) and by health', () => {
    expect(names(applyView(rows, { ...DEFAULT_VIEW, q: ' ORDERS ' }))).toEqual(['c-degraded', 'a-ok']);
    expect(names(applyView(rows, { ...DEFAULT_VIEW, q: 'fail' }))).toEqual(['b-failing', 'd-failing']);
    expect(names(applyView(rows, { ...DEFAULT_VIEW, health: 'problems' }))).toEqual(['b-failing', 'd-failing', 'c-degraded']);
    expect(names(applyView(rows, { ...DEFAULT_VIEW, health: 'healthy' }))).toEqual(['a-ok']);
  });

  it('does not reorder its input', () => {
    const copy = [...rows];
    applyView(rows, { ...DEFAULT_VIEW, sort: 'name', dir: 'desc' });
    expect(rows).toEqual(copy);
  });
});
