import type { GroupConnection } from '../group-connection';
import type { ConsumerStrategy } from './consumer-strategy';

/** Each push goes to the next connection with a free slot, rotating through all of them. */
export class RoundRobinStrategy implements ConsumerStrategy {
  private queue: GroupConnection[] = [];

  add(connection: GroupConnection): void {
    this.queue.push(connection);
  }

  remove(connection: GroupConnection): void {
    this.queue = this.queue.filter((c) => c !== connection);
  }

  select(): GroupConnection | 'no-capacity' {
    for (let i = 0; i < this.queue.length; i++) {
      const candidate = this.queue.shift()!;
      this.queue.push(candidate);
      if (candidate.availableSlots > 0) return candidate;
    }
    return 'no-capacity';
  }
}
