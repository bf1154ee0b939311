import { describe, expect, it } from 'vitest';

import type { ParkedMessage } from '@/lib/api/schemas';

import { collapseParked, groupParkedByReason, toReasonLabel } from './parked-groups';

const NACK = "Client explicitly NAK'ed message.\n";

function parked(n: number, eventId: string | null, reason: string, revision = String(n)): ParkedMessage {
  return {
    parkedEventNumber: n,
    eventId,
    stream: 'orders',
    revision,
    type: eventId ? 'OrderPlaced' : null,
    data: '{}',
    dataEncoding: 'json',
    metadata: '',
    metadataEncoding: 'none',
    reason,
    parkedAt: `2026-12-03T18:00:0${n}.000Z`,
  };
}

describe('parked message shaping', () => {
  it('shows several parked entries of one original event once, with a count and the newest entry', () => {
    const rows = collapseParked([parked(2, 'a', `${NACK}second`), parked(0, 'a', `${NACK}first`), parked(1, 'b', `${NACK}x`)]);
    expect(rows.map((r) => [r.key, r.count, r.parkedEventNumbers, r.latest.reason])).toEqual([
      ['a', 2, [0, 2], `${NACK}second`],
      ['b', 1, [1], `${NACK}x`],
    ]);
  });

  it('collapses entries whose event is gone by stream@revision', () => {
    const rows = collapseParked([parked(0, null, 'r', '5'), parked(1, null, 'r', '5'), parked(2, null, 'r', '6')]);
    expect(rows.map((r) => [r.key, r.count])).toEqual([
      ['orders@5', 2],
      ['orders@6', 1],
    ]);
  });

  it('groups by reason with entry counts, the biggest group first', () => {
    const groups = groupParkedByReason([
      parked(0, 'a', `${NACK}amount`),
      parked(1, 'b', `${NACK}markup`),
      parked(2, 'c', `${NACK}amount`),
      parked(3, 'c', `${NACK}amount`),
    ]);
    expect(groups.map((g) => [g.reason, g.count, g.rows.map((r) => r.key)])).toEqual([
      [`${NACK}amount`, 3, ['a', 'c']],
      [`${NACK}markup`, 1, ['b']],
    ]);
  });

  it('labels a consumer nack by its own reason text and keeps server reasons whole', () => {
    expect(toReasonLabel(`${NACK}Amount above limit`)).toEqual({ source: 'consumer', text: 'Amount above limit' });
    expect(toReasonLabel(NACK)).toEqual({ source: 'consumer', text: '(no reason given)' });
    expect(toReasonLabel('Reached retry count of 10')).toEqual({ source: 'server', text: 'Reached retry count of 10' });
    expect(toReasonLabel('')).toEqual({ source: 'unknown', text: '(no reason recorded)' });
  });
});
