import { describe, expect, it } from 'vitest';
import { evaluateHealth, type Observation, type SubscriberObservation } from './health-rules';

const T0 = 1_700_000_000_000;

function series(seconds: number, make: (i: number) => Partial<Observation>): Observation[] {
  return Array.from({ length: seconds + 1 }, (_, i) => ({
    at: T0 + i * 1000,
    lastKnown: 100n,
    lastCheckpointed: 90n,
    behind: 10,
    parked: 0,
    slotsFull: false,
    ratePerSecond: 5,
    connections: 1,
    ...make(i),
  }));
}

const liveSubscriber: SubscriberObservation = {
  state: 'live',
  notLiveSince: null,
  delivered: 100,
  retried: 0,
  duplicatesSuppressed: 0,
  checkpointGapAtReconnect: null,
};

describe('evaluateHealth', () => {
  it('is healthy with steady traffic and a live subscriber', () => {
    const history = series(60, () => ({}));
    expect(evaluateHealth({ now: history.at(-1)!.at, history, subscriber: liveSubscriber })).toEqual({
      level: 'healthy',
      reasons: [],
    });
  });

  it('fails when the proxied subscriber has not been live for more than 30 s', () => {
    const history = series(40, () => ({ connections: 0 }));
    const now = history.at(-1)!.at;
    const result = evaluateHealth({
      now,
      history,
      subscriber: { ...liveSubscriber, state: 'backoff', notLiveSince: now - 31_000 },
    });
    expect(result.level).toBe('failing');
    expect(result.reasons[0]).toMatch(/not live for 31 s \(state: backoff\)/);
  });

  it('does not fail a subscriber that left live 29 s ago', () => {
    const history = series(40, () => ({ connections: 0 }));
    const now = history.at(-1)!.at;
    const result = evaluateHealth({ now, history, subscriber: { ...liveSubscriber, state: 'backoff', notLiveSince: now - 29_000 } });
    expect(result.level).not.toBe('failing');
  });

  it('fails on a stall: all slots full and zero throughput while lastKnown grows', () => {
    const history = series(12, (i) => ({ slotsFull: true, ratePerSecond: 0, lastKnown: 100n + BigInt(i) }));
    const result = evaluateHealth({ now: history.at(-1)!.at, history });
    expect(result.level).toBe('failing');
    expect(result.reasons.join()).toMatch(/Stalled/);
  });

  it('does not call a quiet subscription with full slots stalled when no new events arrive', () => {
    const history = series(12, () => ({ slotsFull: true, ratePerSecond: 0 }));
    expect(evaluateHealth({ now: history.at(-1)!.at, history }).level).toBe('healthy');
  });

  it('fails when the checkpoint moves backwards or beyond the last known event', () => {
    const back = series(3, (i) => ({ lastCheckpointed: i < 3 ? 90n : 80n }));
    expect(evaluateHealth({ now: back.at(-1)!.at, history: back }).reasons.join()).toMatch(/backwards \(90 → 80\)/);
    const beyond = series(3, () => ({ lastCheckpointed: 120n, lastKnown: 100n }));
    expect(evaluateHealth({ now: beyond.at(-1)!.at, history: beyond }).level).toBe('failing');
  });

  it('is degraded when the parked count grew within the last 5 minutes', () => {
    const history = series(30, (i) => ({ parked: i >= 20 ? 3 : 0 }));
    const result = evaluateHealth({ now: history.at(-1)!.at, history });
    expect(result).toEqual({ level: 'degraded', reasons: ['Parked messages grew by 3 in the last 5 min'] });
  });

  it('is degraded when behind has grown for more than 60 s', () => {
    const history = series(65, (i) => ({ behind: 10 + i }));
    expect(evaluateHealth({ now: history.at(-1)!.at, history }).reasons).toContain('Behind has been growing for over 60 s');
  });

  it('is degraded when server connections differ from the live consumers we know of', () => {
    const history = series(6, () => ({ connections: 2 }));
    const result = evaluateHealth({ now: history.at(-1)!.at, history, subscriber: liveSubscriber });
    expect(result.level).toBe('degraded');
    expect(result.reasons[0]).toMatch(/2 connection\(s\), expected 1/);
  });

  it('is degraded when duplicates suppressed in the epoch exceed the checkpoint gap at reconnect', () => {
    const history = series(3, () => ({}));
    const result = evaluateHealth({
      now: history.at(-1)!.at,
      history,
      subscriber: { ...liveSubscriber, duplicatesSuppressed: 50, checkpointGapAtReconnect: 20 },
    });
    expect(result.level).toBe('degraded');
  });

  it('is degraded when retries exceed 10 % of deliveries', () => {
    const history = series(3, () => ({}));
    const subscriber = { ...liveSubscriber, delivered: 100, retried: 11 };
    expect(evaluateHealth({ now: history.at(-1)!.at, history, subscriber }).reasons).toEqual([
      'Retries are 11% of deliveries this epoch (over 10%)',
    ]);
    expect(evaluateHealth({ now: history.at(-1)!.at, history, subscriber: { ...subscriber, retried: 10 } }).level).toBe('healthy');
  });
});
