import { describe, expect, test } from 'vitest';
import { toStatusString } from './group-status';

describe('toStatusString', () => {
  test('formats the state like the server’s .NET flags enum', () => {
    expect(toStatusString({ loaded: false, live: false, replayingParked: false })).toBe('NotReady');
    expect(toStatusString({ loaded: true, live: true, replayingParked: false })).toBe('Live');
    expect(toStatusString({ loaded: true, live: false, replayingParked: false })).toBe('Behind');
    expect(toStatusString({ loaded: true, live: true, replayingParked: true })).toBe('ReplayingParkedMessages, Live');
  });
});
