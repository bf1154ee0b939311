import { describe, expect, it } from 'vitest';

import type { HeldDelivery } from '@/lib/api/schemas';

import { toHeldRows } from './held-rows';

const now = Date.parse('2026-12-04T10:05:00.000Z');
const held = (overrides: Partial<HeldDelivery>): HeldDelivery => ({
  eventId: '6a0e8b1e-1c1f-4a55-9a53-3f7f4d2b8c01',
  key: '6a0e8b1e-1c1f-4a55-9a53-3f7f4d2b8c01',
  stream: 'demo-orders',
  revision: '1234',
  type: 'OrderPlaced',
  retryCount: 0,
  epoch: 3,
  since: '2026-12-04T10:04:59.400Z',
  phase: 'in-sink',
  ...overrides,
});

describe('toHeldRows', () => {
  it('shows the original stream@revision, how long it is held, the phase in words and the last failure', () => {
    const [row] = toHeldRows(
      [held({ since: '2026-12-04T10:01:55.000Z', phase: 'waiting-retry', retryCount: 41, lastOutcome: 'sink asked to retry: HTTP 503' })],
      now,
    );
    expect(row).toEqual({
      id: '6a0e8b1e-1c1f-4a55-9a53-3f7f4d2b8c01:41:0',
      eventId: '6a0e8b1e-1c1f-4a55-9a53-3f7f4d2b8c01',
      type: 'OrderPlaced',
      origin: 'demo-orders@1234',
      retryCount: 41,
      heldFor: '3 min 5 s',
      since: '2026-12-04T10:01:55.000Z',
      phase: 'waiting-retry',
      phaseLabel: 'waiting for retry',
      tone: 'warn',
      lastOutcome: 'sink asked to retry: HTTP 503',
    });
  });

  it('reads a delivery held under a second as "< 1 s", without a failure yet, and labels every phase', () => {
    const rows = toHeldRows([held({}), held({ phase: 'waiting-claim' }), held({ since: '2026-12-04T10:05:00.500Z' })], now);
    expect(rows.map((r) => [r.heldFor, r.phaseLabel, r.tone, r.lastOutcome])).toEqual([
      ['< 1 s', 'in the sink', 'info', null],
      ['< 1 s', 'waiting for claim', 'off', null],
      ['< 1 s', 'in the sink', 'info', null],
    ]);
    // Two copies of one event (a redelivery while the first is in the sink) get distinct keys.
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
  });
});
