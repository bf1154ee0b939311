import type { SubscriberState } from '@/lib/api/schemas';

const TONE: Record<SubscriberState, string> = {
  live: 'ok',
  connecting: 'warn',
  backoff: 'warn',
  stopped: 'off',
};

export function SubscriberStateChip({ state }: { state: SubscriberState }) {
  return (
    <span className={`chip chip-${TONE[state]}`} data-testid="subscriber-state">
      {state}
    </span>
  );
}
