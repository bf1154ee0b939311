import { describe, expect, it } from 'vitest';

import { isReplayOutcomeSettled, sameReplayCounters, toReplayOutcome, type ReplayCounters } from './replay-outcome';

const before: ReplayCounters = { received: 1000, delivered: 900, parked: 68, suppressedAsReplay: 4 };

describe('replay outcome', () => {
  it('gives the server change and the subscriber deltas of a quiet proxied group', () => {
    // 2 replayed, both received, both delivered; nothing else arrived.
    const now: ReplayCounters = { received: 1002, delivered: 902, parked: 68, suppressedAsReplay: 4 };
    const outcome = toReplayOutcome({ requested: 2, replayed: 2, parkedBefore: 68, parkedNow: 66, countersBefore: before, countersNow: now });
    expect(outcome.subscriber).toEqual({ delivered: 2, parked: 0, suppressed: 0, others: 0 });
    expect(outcome.text).toBe('Replay of 2: parked 68 → 66 · subwatch delivered 2, parked again 0, suppressed 0 as already processed');
  });

  it('counts replayed messages whose key was done as suppressed and failing ones as parked again', () => {
    // 5 replayed: 1 delivered, 1 parked again, 3 already done.
    const now: ReplayCounters = { received: 1005, delivered: 901, parked: 69, suppressedAsReplay: 7 };
    const outcome = toReplayOutcome({ requested: 5, replayed: 5, parkedBefore: 1200, parkedNow: 1196, countersBefore: before, countersNow: now });
    expect(outcome.text).toBe('Replay of 5: parked 1,200 → 1,196 · subwatch delivered 1, parked again 1, suppressed 3 as already processed');
  });

  it('says how many other events the counts include when new traffic arrived meanwhile', () => {
    // 2 replayed, 40 new events: 42 received, 41 delivered, 1 parked.
    const now: ReplayCounters = { received: 1042, delivered: 941, parked: 69, suppressedAsReplay: 4 };
    const outcome = toReplayOutcome({ requested: 2, replayed: 2, parkedBefore: 68, parkedNow: 67, countersBefore: before, countersNow: now });
    expect(outcome.subscriber).toEqual({ delivered: 41, parked: 1, suppressed: 0, others: 40 });
    expect(outcome.text).toBe(
      'Replay of 2: parked 68 → 67 · subwatch delivered 41, parked 1, suppressed 0 as already processed (delivered and parked include 40 other events received meanwhile)',
    );
  });

  it('uses the singular for one other event', () => {
    const now: ReplayCounters = { received: 1003, delivered: 903, parked: 68, suppressedAsReplay: 4 };
    expect(toReplayOutcome({ requested: 2, replayed: 2, parkedBefore: 68, parkedNow: 66, countersBefore: before, countersNow: now }).text).toContain(
      '(delivered and parked include 1 other event received meanwhile)',
    );
  });

  it('never shows a negative delta when the subscriber restarted and its totals went back to zero', () => {
    const now: ReplayCounters = { received: 3, delivered: 3, parked: 0, suppressedAsReplay: 0 };
    expect(toReplayOutcome({ requested: 3, replayed: 3, parkedBefore: 10, parkedNow: 7, countersBefore: before, countersNow: now }).subscriber).toEqual({
      delivered: 0,
      parked: 0,
      suppressed: 0,
      others: 0,
    });
  });

  it('for a group subwatch does not proxy, says what the server shows and who gets the deliveries', () => {
    const outcome = toReplayOutcome({ requested: 3, replayed: 3, parkedBefore: 10, parkedNow: 7, countersBefore: null, countersNow: null });
    expect(outcome.subscriber).toBeNull();
    expect(outcome.text).toBe(
      "Replay of 3: parked 10 → 7 on the server · subwatch does not proxy this group: the group's own consumers get the redeliveries.",
    );
  });

  it('compares counters by value (a new snapshot with the same numbers is the same)', () => {
    expect(sameReplayCounters(before, { ...before })).toBe(true);
    expect(sameReplayCounters(before, { ...before, delivered: 901 })).toBe(false);
    expect(sameReplayCounters(null, null)).toBe(true);
    expect(sameReplayCounters(before, null)).toBe(false);
  });

  describe('settling', () => {
    const base = { replayed: 2, elapsedMs: 4000, watchMs: 30_000, settleMs: 2000, countersBefore: before };
    const received = (n: number): ReplayCounters => ({ ...before, received: before.received + n });

    it('keeps counting while the server has not shown the replay done', () => {
      expect(isReplayOutcomeSettled({ ...base, doneForMs: null, countersNow: received(5) })).toBe(false);
    });

    it('keeps counting for the settle time after done, then settles once the replayed events were received', () => {
      expect(isReplayOutcomeSettled({ ...base, doneForMs: 1999, countersNow: received(2) })).toBe(false);
      expect(isReplayOutcomeSettled({ ...base, doneForMs: 2000, countersNow: received(2) })).toBe(true);
    });

    it('waits for the subscriber to receive as many events as were replayed', () => {
      expect(isReplayOutcomeSettled({ ...base, doneForMs: 5000, countersNow: received(1) })).toBe(false);
    });

    it('settles without counters (not proxied) after the settle time', () => {
      expect(isReplayOutcomeSettled({ ...base, doneForMs: 2000, countersBefore: null, countersNow: null })).toBe(true);
    });

    it('always settles at the end of the watch window', () => {
      expect(isReplayOutcomeSettled({ ...base, elapsedMs: 30_000, doneForMs: null, countersNow: received(0) })).toBe(true);
    });
  });
});
