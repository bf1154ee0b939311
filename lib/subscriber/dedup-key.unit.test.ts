import { describe, expect, it } from 'vitest';
import type { SourceEvent, SourceRecord } from '../esdb/persistent-subscription-source';
import { toDedupKey } from './dedup-key';

const record = (overrides: Partial<SourceRecord> = {}): SourceRecord => ({
  id: 'e-1',
  streamId: 'orders',
  revision: 41n,
  type: 'OrderPlaced',
  data: { order: { id: 'o-7' }, amount: 3 },
  metadata: { tenant: 't-1' },
  created: new Date('2026-01-01T00:00:00.000Z'),
  isJson: true,
  ...overrides,
});

describe('toDedupKey', () => {
  it('uses the original event id, not the link id, for a resolved link', () => {
    const event: SourceEvent = { event: record(), link: record({ id: 'link-9', streamId: '$ce-orders' }), retryCount: 0 };
    expect(toDedupKey(event, 'eventId')).toEqual({ ok: true, key: 'e-1' });
  });

  it('falls back to the link id when the link could not be resolved', () => {
    expect(toDedupKey({ link: record({ id: 'link-9' }), retryCount: 0 }, 'eventId')).toEqual({ ok: true, key: 'link-9' });
  });

  it('builds stream@revision of the original event', () => {
    expect(toDedupKey({ event: record(), retryCount: 3 }, 'streamRevision')).toEqual({ ok: true, key: 'orders@41' });
  });

  it('reads a business key from metadata or from a data path', () => {
    expect(toDedupKey({ event: record(), retryCount: 0 }, 'metadata:tenant')).toEqual({ ok: true, key: 't-1' });
    expect(toDedupKey({ event: record(), retryCount: 0 }, 'data:order.id')).toEqual({ ok: true, key: 'o-7' });
    expect(toDedupKey({ event: record(), retryCount: 0 }, 'data:amount')).toEqual({ ok: true, key: '3' });
  });

  it('reports a missing business key as a value, not a throw', () => {
    expect(toDedupKey({ event: record(), retryCount: 0 }, 'data:order.missing')).toEqual({
      ok: false,
      reason: 'dedup key data:order.missing is missing or not a string/number in event e-1',
    });
  });
});
