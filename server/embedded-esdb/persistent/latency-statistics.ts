/**
 * Push-to-ack latencies of one connection, reported as GetInfo `observed_measurements` when the
 * group has `extraStatistics` (server `RequestStatistics`). Keys and their order follow the server.
 */
export class LatencyStatistics {
  private readonly samples: number[] = [];

  constructor(private readonly capacity = 1_000) {}

  record(milliseconds: number): void {
    if (this.samples.length >= this.capacity) this.samples.shift();
    this.samples.push(milliseconds);
  }

  /** Empty until at least one ack was measured, so the client reports `extraStatistics: undefined`. */
  measurements(): Array<{ key: string; value: number }> {
    if (this.samples.length === 0) return [];
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
    const mean = Math.round(sorted.reduce((sum, v) => sum + v, 0) / sorted.length);
    return [
      { key: 'Mean', value: mean },
      { key: 'Median', value: at(0.5) },
      { key: 'Fastest', value: sorted[0]! },
      { key: 'Quintile 1', value: at(0.2) },
      { key: 'Quintile 2', value: at(0.4) },
      { key: 'Quintile 3', value: at(0.6) },
      { key: 'Quintile 4', value: at(0.8) },
      { key: 'Quintile 5', value: sorted[sorted.length - 1]! },
      { key: '90%', value: at(0.9) },
      { key: '95%', value: at(0.95) },
      { key: '99%', value: at(0.99) },
      { key: '99.5%', value: at(0.995) },
      { key: '99.9%', value: at(0.999) },
      { key: 'Highest', value: sorted[sorted.length - 1]! },
    ];
  }
}
