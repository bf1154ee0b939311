/** Server `PersistentSubscriptionState` flags, by value. */
const FLAGS = [
  { value: 1, name: 'Behind' },
  { value: 2, name: 'OutstandingPageRequest' },
  { value: 4, name: 'ReplayingParkedMessages' },
  { value: 8, name: 'Live' },
] as const;

export interface GroupStatus {
  readonly loaded: boolean;
  readonly live: boolean;
  readonly replayingParked: boolean;
}

/**
 * .NET `[Flags]` `ToString()`: set flags in ascending value order, joined by ", "; "NotReady" when
 * none is set (for example `"Live"`, `"Behind"`, `"ReplayingParkedMessages, Live"`).
 */
export function toStatusString(status: GroupStatus): string {
  if (!status.loaded) return 'NotReady';
  const bits = (status.live ? 8 : 1) | (status.replayingParked ? 4 : 0);
  return FLAGS.filter((flag) => (bits & flag.value) !== 0)
    .map((flag) => flag.name)
    .join(', ');
}
