import { describe, expect, it } from 'vitest';

import { needsTypedConfirmation, toReplayPlan, toReplayProgress } from './replay-plan';

describe('replay plan', () => {
  it('replays everything parked now up to a stopAt after the last one, so later parks are not included', () => {
    // Window #4–#13: stopAt 14 replays exactly the 10 the dialog shows.
    expect(toReplayPlan({ first: 4, total: 10 })).toEqual({ stopAt: 14, count: 10, all: true });
    expect(toReplayPlan({ first: 4, total: 10 }, 10)).toEqual({ stopAt: 14, count: 10, all: true });
    expect(toReplayPlan({ first: 4, total: 10 }, 50)).toEqual({ stopAt: 14, count: 10, all: true });
  });

  it('turns "first N" into an absolute, exclusive stopAt after the oldest visible message', () => {
    expect(toReplayPlan({ first: 0, total: 10 }, 3)).toEqual({ stopAt: 3, count: 3, all: false });
    expect(toReplayPlan({ first: 40, total: 10 }, 3)).toEqual({ stopAt: 43, count: 3, all: false });
  });

  it('asks to type the group name only above 100 messages', () => {
    expect(needsTypedConfirmation(100)).toBe(false);
    expect(needsTypedConfirmation(101)).toBe(true);
  });
});

describe('replay progress', () => {
  const base = { requested: 5, firstBefore: 10, elapsedMs: 1000, graceMs: 5000 };

  it('counts how far the oldest visible parked message moved', () => {
    expect(toReplayProgress({ ...base, firstNow: 10, totalNow: 20 })).toEqual({ state: 'running', replayed: 0 });
    expect(toReplayProgress({ ...base, firstNow: 13, totalNow: 20 })).toEqual({ state: 'running', replayed: 3 });
    expect(toReplayProgress({ ...base, firstNow: 15, totalNow: 20 })).toEqual({ state: 'done', replayed: 5 });
  });

  it('is done when nothing is parked any more', () => {
    expect(toReplayProgress({ ...base, firstNow: null, totalNow: 0 })).toEqual({ state: 'done', replayed: 5 });
  });

  it('reports no visible effect when nothing moved within the grace period', () => {
    expect(toReplayProgress({ ...base, firstNow: 10, totalNow: 20, elapsedMs: 5000 })).toEqual({ state: 'no-effect', replayed: 0 });
    expect(toReplayProgress({ ...base, firstNow: 12, totalNow: 20, elapsedMs: 9000 })).toEqual({ state: 'running', replayed: 2 });
  });
});
