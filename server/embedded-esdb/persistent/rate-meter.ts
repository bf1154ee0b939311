/**
 * Counts pushes and reports "per second since the previous measurement", like the server's stats
 * (`average_per_second`, `count_since_last_measurement`, esdb-semantics.md §5). The real server
 * also measures on its own 1 s stats tick, so in effect a reading covers about the last second.
 * Here a measurement window is at least one second: a GetInfo that follows another reading within
 * the second gets that reading again instead of a tiny window (10 items in 30 ms is not 333/s).
 */
export class RateMeter {
  private total = 0;
  private markTotal = 0;
  private markAt: number;
  private last = { averagePerSecond: 0, countSinceLastMeasurement: 0 };

  static readonly MIN_WINDOW_MS = 1000;

  constructor(now: number) {
    this.markAt = now;
  }

  increment(): void {
    this.total++;
  }

  get totalItems(): number {
    return this.total;
  }

  measure(now: number): { averagePerSecond: number; countSinceLastMeasurement: number } {
    const elapsed = now - this.markAt;
    if (elapsed < RateMeter.MIN_WINDOW_MS) return this.last;
    const count = this.total - this.markTotal;
    this.markTotal = this.total;
    this.markAt = now;
    this.last = { averagePerSecond: Math.round((count * 1000) / elapsed), countSinceLastMeasurement: count };
    return this.last;
  }
}
