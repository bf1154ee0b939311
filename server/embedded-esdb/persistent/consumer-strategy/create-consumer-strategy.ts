import type { ConsumerStrategyName } from '../settings';
import type { ConsumerStrategy } from './consumer-strategy';
import { DispatchToSingleStrategy } from './dispatch-to-single';
import { PinnedStrategy } from './pinned';
import { RoundRobinStrategy } from './round-robin';

export function createConsumerStrategy(name: ConsumerStrategyName): ConsumerStrategy {
  switch (name) {
    case 'RoundRobin':
      return new RoundRobinStrategy();
    case 'DispatchToSingle':
      return new DispatchToSingleStrategy();
    case 'Pinned':
      return new PinnedStrategy();
  }
}
