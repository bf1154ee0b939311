import type { AllFilter } from './event-source/all-filter';
import type { GroupSettings } from './settings';

/** What defines a group across restarts (the real server's `$persistentSubscriptionConfig` entry). */
export interface GroupConfig {
  readonly stream: string;
  readonly group: string;
  readonly settings: GroupSettings;
  /** `$all` groups only; undefined means the default filter. */
  readonly filter?: AllFilter;
}
