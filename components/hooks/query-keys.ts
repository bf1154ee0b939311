/** Every react-query key in the app (STYLE.md §3). Prefixes are chosen so invalidation can be scoped. */
export const queryKeys = {
  session: ['session'] as const,
  subscriptions: {
    all: ['subscriptions'] as const,
    list: () => ['subscriptions', 'list'] as const,
    detail: (stream: string, group: string) => ['subscriptions', 'detail', stream, group] as const,
  },
  epochs: {
    all: ['epochs'] as const,
    forGroup: (stream: string, group: string) => ['epochs', stream, group] as const,
    list: (stream: string, group: string, limit: number) => ['epochs', stream, group, limit] as const,
  },
  /** Every subwatch instance sharing the dedup store, with per-group totals (`GET /api/instances`). */
  instances: {
    all: ['instances'] as const,
  },
  /** Deliveries a proxied group's subscriber holds right now (`GET …/held`), polled. */
  held: {
    all: ['held'] as const,
    forGroup: (stream: string, group: string) => ['held', stream, group] as const,
  },
  parked: {
    all: ['parked'] as const,
    forGroup: (stream: string, group: string) => ['parked', stream, group] as const,
    /** `from` null = from the oldest visible parked message. */
    page: (stream: string, group: string, from: number | null, limit: number) => ['parked', stream, group, from, limit] as const,
  },
};
