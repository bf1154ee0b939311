import { describe, expect, test } from 'vitest';
import { isCheckpointDue } from './checkpoint-policy';

const settings = { checkPointAfterMs: 2000, minCheckPointCount: 10, maxCheckPointCount: 1000 };
const state = { lastCheckpointedSequence: 0, lastCheckpointAt: 0 };

describe('isCheckpointDue', () => {
  test('an ack forces a checkpoint only once maxCheckPointCount messages are uncheckpointed', () => {
    expect(isCheckpointDue({ sequence: 999, cursor: 998 }, state, settings, 60_000, false)).toBe(false);
    expect(isCheckpointDue({ sequence: 1000, cursor: 999 }, state, settings, 0, false)).toBe(true);
  });

  test('the timer writes after checkPointAfter once checkPointLowerBound messages are uncheckpointed', () => {
    expect(isCheckpointDue({ sequence: 10, cursor: 9 }, state, settings, 2000, true)).toBe(true);
    expect(isCheckpointDue({ sequence: 9, cursor: 8 }, state, settings, 2000, true)).toBe(false);
    expect(isCheckpointDue({ sequence: 10, cursor: 9 }, state, settings, 1999, true)).toBe(false);
  });

  test('checkPointAfter 0 disables time-based checkpoints', () => {
    expect(isCheckpointDue({ sequence: 50, cursor: 49 }, state, { ...settings, checkPointAfterMs: 0 }, 1e9, true)).toBe(false);
  });

  test('a candidate that does not move forward is never written', () => {
    const after = { lastCheckpointedSequence: 5, lastCheckpointAt: 0 };
    expect(isCheckpointDue({ sequence: 5, cursor: 4 }, after, { ...settings, minCheckPointCount: 0, maxCheckPointCount: 0 }, 1e9, true)).toBe(false);
  });
});
