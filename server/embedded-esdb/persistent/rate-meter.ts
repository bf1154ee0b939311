/**
 * Counts pushes and reports "per second since the previous measurement", like the server's stats
 * (`average_per_second`, `count_since_last_measurement`): each `measure` call starts a new window.
 */
export class RateMeter {
  private total = 0;
  private markTotal = 0;
  private markAt: number;

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
    const count = this.total - this.markTotal;
    const seconds = (now - this.markAt) / 1000;
    this.markTotal = this.total;
    this.markAt = now;
    return { averagePerSecond: seconds > 0 ? Math.round(count / seconds) : 0, countSinceLastMeasurement: count };
  }
}
