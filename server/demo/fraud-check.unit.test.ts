import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../lib/subscriber/sink';
import { amountReason, createFraudCheck, MARKUP_REASON } from './fraud-check';
import { createOrderEventGenerator, HOSTILE_NOTE } from './order-events';

function delivery(eventId: string, type: string, data: unknown): Delivery {
  return { eventId, key: eventId, stream: 'demo-orders', revision: '0', type, data, metadata: {}, isJson: true, created: '', retryCount: 0, epoch: 1 };
}

describe('fraud-check demo sink', () => {
  it('parks an order above the limit with a reason that names the limit', async () => {
    const { sink } = createFraudCheck({ limitCents: 50_000 });
    expect(await sink(delivery('a', 'OrderPlaced', { amountCents: 50_001 }))).toEqual({ outcome: 'park', reason: amountReason(50_000) });
    expect(amountReason(50_000)).toBe('Amount above the fraud-check limit of 500.00 EUR');
    expect(await sink(delivery('b', 'OrderPlaced', { amountCents: 50_000 }))).toEqual({ outcome: 'ok' });
  });

  it('parks an order whose customer note contains markup', async () => {
    const { sink } = createFraudCheck();
    expect(await sink(delivery('a', 'OrderPlaced', { amountCents: 100, note: HOSTILE_NOTE }))).toEqual({ outcome: 'park', reason: MARKUP_REASON });
    expect(await sink(delivery('b', 'OrderPlaced', { amountCents: 100, note: 'Please leave at the door' }))).toEqual({ outcome: 'ok' });
  });

  it('approves a parked order when it comes back after a replay', async () => {
    const check = createFraudCheck();
    await check.sink(delivery('a', 'OrderPlaced', { amountCents: 100, note: '<b>' }));
    expect(await check.sink(delivery('a', 'OrderPlaced', { amountCents: 100, note: '<b>' }))).toEqual({ outcome: 'ok' });
    expect(check.stats()).toEqual({ checked: 2, parked: 1, approvedAfterReview: 1 });
  });

  it('lets every other event type through', async () => {
    const { sink } = createFraudCheck({ limitCents: 1 });
    expect(await sink(delivery('a', 'PaymentCaptured', { amountCents: 999_999 }))).toEqual({ outcome: 'ok' });
  });

  it('puts the hostile note on the first order the demo generator places', () => {
    const generator = createOrderEventGenerator(() => 0);
    const first = generator.next();
    expect(first.event.type).toBe('OrderPlaced');
    expect(first.event.data.note).toBe(HOSTILE_NOTE);
  });
});
