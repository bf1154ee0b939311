import { describe, expect, it } from 'vitest';
import { toAckDecision } from './ack-decision';

const context = { retryCount: 0, retryBackoff: { initialMs: 100, maxMs: 2000, multiplier: 2 } };

describe('toAckDecision', () => {
  it('acks a successful sink call only together with recording the key as done', () => {
    expect(toAckDecision({ kind: 'sink', result: { outcome: 'ok' } }, context)).toEqual({
      action: 'ack',
      record: 'complete',
      outcome: 'delivered',
    });
  });

  it('acks a duplicate without touching the store', () => {
    expect(toAckDecision({ kind: 'duplicate' }, context)).toEqual({ action: 'ack', record: 'none', outcome: 'duplicate' });
  });

  it('releases the key and nacks retry after a backoff that grows with the retry count', () => {
    const first = toAckDecision({ kind: 'sink', result: { outcome: 'retry', reason: '503' } }, context);
    const third = toAckDecision({ kind: 'sink', result: { outcome: 'retry', reason: '503' } }, { ...context, retryCount: 2 });
    expect(first).toEqual({
      action: 'nack',
      nackAction: 'retry',
      reason: 'sink asked to retry: 503',
      delayMs: 100,
      record: 'release',
      outcome: 'retry',
    });
    expect(third).toMatchObject({ nackAction: 'retry', delayMs: 400 });
  });

  it('treats a thrown sink error as retry', () => {
    expect(toAckDecision({ kind: 'sink-threw', error: new TypeError('fetch failed') }, context)).toMatchObject({
      action: 'nack',
      nackAction: 'retry',
      reason: 'sink threw: TypeError: fetch failed',
      record: 'release',
    });
  });

  it('parks with the sink’s reason and releases the key so a replay reaches the sink again', () => {
    expect(toAckDecision({ kind: 'sink', result: { outcome: 'park', reason: '422 Unprocessable' } }, context)).toEqual({
      action: 'nack',
      nackAction: 'park',
      reason: '422 Unprocessable',
      record: 'release',
      outcome: 'parked',
    });
  });

  it('never acks when the dedup store failed', () => {
    expect(toAckDecision({ kind: 'store-failed', error: new Error('disk full') }, context)).toMatchObject({
      action: 'nack',
      nackAction: 'retry',
      reason: 'dedup store failed: Error: disk full',
    });
  });

  it('waits for another instance’s lease, bounded, before nacking retry without releasing its claim', () => {
    expect(toAckDecision({ kind: 'claimed-elsewhere', retryAfterMs: 1500 }, context)).toMatchObject({
      nackAction: 'retry',
      delayMs: 1500,
      record: 'none',
    });
    expect(toAckDecision({ kind: 'claimed-elsewhere', retryAfterMs: 60_000 }, context)).toMatchObject({ delayMs: 5000 });
  });

  it('counts the time already spent waiting for another instance’s claim against the bounded wait', () => {
    expect(toAckDecision({ kind: 'claimed-elsewhere', retryAfterMs: 60_000, waitedMs: 4_200 }, context)).toMatchObject({ delayMs: 800 });
    expect(toAckDecision({ kind: 'claimed-elsewhere', retryAfterMs: 60_000, waitedMs: 5_000 }, context)).toMatchObject({ delayMs: 0 });
  });

  it('parks a delivery without a dedup key', () => {
    expect(toAckDecision({ kind: 'no-key', reason: 'no orderId' }, context)).toEqual({
      action: 'nack',
      nackAction: 'park',
      reason: 'no orderId',
      record: 'none',
      outcome: 'parked',
    });
  });

  it('parks on an operator request and releases the key so a replay reaches the sink', () => {
    expect(toAckDecision({ kind: 'operator-park', reason: 'poison' }, context)).toEqual({
      action: 'nack',
      nackAction: 'park',
      reason: 'parked by operator: poison',
      record: 'release',
      outcome: 'parked',
    });
  });
});
