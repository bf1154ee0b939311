import { describe, expect, it } from 'vitest';
import { checkpointGap } from './checkpoint-gap';

describe('checkpointGap', () => {
  it('counts the events the group knows after its last checkpoint', () => {
    expect(checkpointGap(41n, 30n)).toBe(11);
  });

  it('is zero when the checkpoint is at the last known event', () => {
    expect(checkpointGap(41n, 41n)).toBe(0);
  });

  it('is unknown while no checkpoint was written or nothing is known', () => {
    expect(checkpointGap(41n, undefined)).toBeNull();
    expect(checkpointGap(undefined, undefined)).toBeNull();
  });
});
