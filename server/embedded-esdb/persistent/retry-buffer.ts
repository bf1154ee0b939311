import type { GroupMessage } from './group-message';

/**
 * Messages waiting for redelivery, scanned before the read buffer (§2.2).
 * Invariant: ordinary retries are kept in log-position order; replayed parked messages are appended
 * at the end (their parked-link positions are newer than anything buffered when the replay ran).
 */
export class RetryBuffer {
  private items: GroupMessage[] = [];

  get size(): number {
    return this.items.length;
  }

  addRetry(message: GroupMessage): void {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.position <= message.position) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, message);
  }

  addReplayed(message: GroupMessage): void {
    this.items.push(message);
  }

  values(): readonly GroupMessage[] {
    return this.items;
  }

  /** Keeps only the messages for which `keep` returns true. */
  retain(keep: (message: GroupMessage) => boolean): void {
    this.items = this.items.filter(keep);
  }

  clear(): void {
    this.items = [];
  }
}
