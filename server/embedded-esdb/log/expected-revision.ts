/**
 * Expected stream state of an append, as the wire carries it (server values: any = −2,
 * no_stream = −1, stream_exists = −4, exact = N).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/**
 * True when an append with `expected` may proceed on a stream whose last revision is `current`
 * (−1 when the stream has no events). Idempotent re-appends are not detected yet.
 */
export function isExpectedRevisionMet(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1;
    case 'stream_exists':
      return current >= 0;
    default:
      return expected === current;
  }
}
