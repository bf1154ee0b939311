import type { GroupConnection } from '../group-connection';
import type { ConsumerStrategy } from './consumer-strategy';

/** Fills the head connection until it is full, then moves on to the next one. */
export class DispatchToSingleStrategy implements ConsumerStrategy {
  private queue: GroupConnection[] = [];

  add(connection: GroupConnection): void {
    this.queue.push(connection);
  }

  remove(connection: GroupConnection): void {
    this.queue = this.queue.filter((c) => c !== connection);
  }

  select(): GroupConnection | 'no-capacity' {
    for (let i = 0; i < this.queue.length; i++) {
      const head = this.queue[0]!;
      if (head.availableSlots > 0) return head;
      this.queue.push(this.queue.shift()!);
    }
    return 'no-capacity';
  }
}
