/**
 * The only contract between the server and the UI (STYLE.md §2). Every HTTP response body and
 * SSE payload is described here; the UI imports these types, never server types.
 * Positions are decimal strings (bigint-safe).
 */
import { z } from 'zod';
import { connectionFailureKinds } from '../subscriber/connection-failure';

export const healthLevelSchema = z.enum(['healthy', 'degraded', 'failing']);
export type HealthLevel = z.infer<typeof healthLevelSchema>;

export const subscriberStateSchema = z.enum(['connecting', 'live', 'backoff', 'stopped']);
export type SubscriberState = z.infer<typeof subscriberStateSchema>;

/** Likely cause of each suppressed duplicate (lib/subscriber/duplicate-cause.ts). */
export const duplicatesByCauseSchema = z.object({
  reconnect: z.number().int().nonnegative(),
  timeout: z.number().int().nonnegative(),
  reload: z.number().int().nonnegative(),
  replay: z.number().int().nonnegative(),
  other: z.number().int().nonnegative(),
});
export type DuplicatesByCause = z.infer<typeof duplicatesByCauseSchema>;

export const subscriberFailureKindSchema = z.enum(connectionFailureKinds);

/**
 * Why a proxied subscriber is not live (lib/subscriber/connection-failure.ts): the kind, the
 * latest drop reason as the client reported it, and since when this kind of failure lasts.
 */
export const subscriberFailureSchema = z.object({
  kind: subscriberFailureKindSchema,
  message: z.string(),
  since: z.string(),
});
export type SubscriberFailureInfo = z.infer<typeof subscriberFailureSchema>;

export const subscriberSummarySchema = z.object({
  state: subscriberStateSchema,
  epoch: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  duplicatesSuppressed: z.number().int().nonnegative(),
  /** Since the subscriber started; adds up to `duplicatesSuppressed`. */
  duplicatesByCause: duplicatesByCauseSchema,
  parked: z.number().int().nonnegative(),
  /** Null while live, stopped, or before the first failure. */
  failure: subscriberFailureSchema.nullable(),
});
export type SubscriberSummary = z.infer<typeof subscriberSummarySchema>;

export const subscriptionSummarySchema = z.object({
  stream: z.string(),
  group: z.string(),
  status: z.string(),
  health: z.object({ level: healthLevelSchema, reasons: z.array(z.string()) }),
  connections: z.number().int().nonnegative(),
  inFlight: z.number().int().nonnegative(),
  /** Consumer buffer capacity: Σ over connections of in-flight + available slots (what in-flight is compared with). */
  bufferSize: z.number().int().nonnegative(),
  parked: z.number().int().nonnegative(),
  lastKnown: z.string().nullable(),
  lastCheckpointed: z.string().nullable(),
  /** Events between the last checkpoint and the last known event (stream groups); null when unknown. */
  behind: z.number().int().nonnegative().nullable(),
  ratePerSecond: z.number().nonnegative(),
  proxied: z.boolean(),
  subscriber: subscriberSummarySchema.optional(),
});
export type SubscriptionSummary = z.infer<typeof subscriptionSummarySchema>;

export const connectionInfoSchema = z.object({
  connectionName: z.string(),
  username: z.string(),
  from: z.string(),
  averageItemsPerSecond: z.number(),
  totalItems: z.string(),
  inFlightMessages: z.number().int(),
  availableSlots: z.number().int(),
});
export type ConnectionInfo = z.infer<typeof connectionInfoSchema>;

export const subscriptionSettingsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const subscriptionDetailSchema = z.object({
  summary: subscriptionSummarySchema,
  settings: subscriptionSettingsSchema,
  connections: z.array(connectionInfoSchema),
});
export type SubscriptionDetail = z.infer<typeof subscriptionDetailSchema>;

export const epochSchema = z.object({
  epoch: z.number().int().positive(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  received: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  duplicatesSuppressed: z.number().int().nonnegative(),
  retried: z.number().int().nonnegative(),
  parked: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /**
   * Likely cause of each suppressed duplicate (lib/subscriber/duplicate-cause.ts); the causes add
   * up to `duplicatesSuppressed`. Defaults keep records written before causes were tracked valid.
   */
  duplicatesByCause: duplicatesByCauseSchema.default({ reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 }),
  /**
   * Events between the group's last checkpoint and the last event it knows, read (GetInfo) when
   * the connection was confirmed: what a reload from the checkpoint would redeliver. Null when
   * unknown.
   */
  checkpointGap: z.number().int().nonnegative().nullable().default(null),
});
/**
 * The input shape, so `duplicatesByCause`/`checkpointGap` are optional for producers of older
 * records; every dedup store fills them, and `epochSchema.parse` fills the defaults.
 */
export type Epoch = z.input<typeof epochSchema>;
/** An epoch with every field present (what the dedup stores return). */
export type EpochRecord = z.output<typeof epochSchema>;

/**
 * One group as an instance reports it in its heartbeat: the subscriber's state and its counters
 * since that instance started (DESIGN.md §6 words), and the epoch it is in.
 */
export const instanceGroupSchema = z.object({
  stream: z.string(),
  group: z.string(),
  state: subscriberStateSchema,
  epoch: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  duplicatesSuppressed: z.number().int().nonnegative(),
  parked: z.number().int().nonnegative(),
});
export type InstanceGroup = z.infer<typeof instanceGroupSchema>;

/** What a subwatch instance writes into the shared store every `intervalMs` (issue 8). */
export const instanceHeartbeatSchema = z.object({
  instanceId: z.string().min(1),
  host: z.string(),
  pid: z.number().int().nonnegative(),
  /** ISO time the instance (process) started. */
  startedAt: z.string(),
  version: z.string(),
  /** How often it beats; readers derive "stale" and "gone" from it (lib/dedup/dedup-store.ts). */
  intervalMs: z.number().int().positive(),
  groups: z.array(instanceGroupSchema),
});
export type InstanceHeartbeat = z.infer<typeof instanceHeartbeatSchema>;

/** `live`: beat within the last three intervals; `stale`: missed them (stopped, hung or cut off). */
export const instanceStateSchema = z.enum(['live', 'stale']);
export type InstanceState = z.infer<typeof instanceStateSchema>;

export const instanceSchema = instanceHeartbeatSchema.extend({
  /** ISO time of the last heartbeat the store holds. */
  lastSeen: z.string(),
  state: instanceStateSchema,
});
export type Instance = z.infer<typeof instanceSchema>;

/** One group summed over every listed instance (live and stale) that reports it. */
export const groupTotalsSchema = z.object({
  stream: z.string(),
  group: z.string(),
  instances: z.number().int().nonnegative(),
  liveInstances: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  duplicatesSuppressed: z.number().int().nonnegative(),
  parked: z.number().int().nonnegative(),
});
export type GroupTotals = z.infer<typeof groupTotalsSchema>;

/** `GET /api/instances`: instances sorted by id; `self` is the id of the instance that answered. */
export const instancesResponseSchema = z.object({
  self: z.string(),
  instances: z.array(instanceSchema),
  groups: z.array(groupTotalsSchema),
});
export type InstancesResponse = z.infer<typeof instancesResponseSchema>;

export const subscriptionsResponseSchema = z.object({ subscriptions: z.array(subscriptionSummarySchema) });
export const epochsResponseSchema = z.object({ epochs: z.array(epochSchema) });

export const demoConsumerSchema = z.object({
  received: z.number().int().nonnegative(),
  unique: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
});
export type DemoConsumerStats = z.infer<typeof demoConsumerSchema>;

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
  details: z.unknown().optional(),
});

/** Path params: `{stream}` arrives URL-decoded (`$all` for `%24all`). */
export const subscriptionParamsSchema = z.object({
  stream: z.string().min(1, 'stream must not be empty').max(2048),
  group: z.string().min(1, 'group must not be empty').max(2048),
});
export type SubscriptionRefParams = z.infer<typeof subscriptionParamsSchema>;

export const epochsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

export const actionOutcomeSchema = z.object({
  action: z.enum(['reconnect', 'replay', 'park']),
  stream: z.string(),
  group: z.string(),
  ok: z.boolean(),
  message: z.string(),
  at: z.string(),
});
export type ActionOutcome = z.infer<typeof actionOutcomeSchema>;

/** SSE event names and payloads of `/api/live` (DESIGN.md §8). */
export const snapshotEventSchema = z.object({
  ts: z.string(),
  subscriptions: z.array(subscriptionSummarySchema),
  /** Set when the last poll of the server failed (server unreachable); subscriptions are then the last known. */
  serverError: z.string().nullable(),
});
export const epochEventSchema = z.object({ stream: z.string(), group: z.string(), epoch: epochSchema });
export type SnapshotEvent = z.infer<typeof snapshotEventSchema>;
/** Input shape like {@link Epoch}: producers of older epoch records need not set the newer fields. */
export type EpochEvent = z.input<typeof epochEventSchema>;

/**
 * Sent once on connect, before the current `snapshot`: the snapshots the server kept of the last
 * minutes (oldest first; bounded: lib/monitor/snapshot-history.ts), so charts start full. Additive:
 * a client that ignores it sees the §8 stream unchanged. A reconnecting client gets it again and
 * merges by `ts`.
 */
export const historyEventSchema = z.object({ snapshots: z.array(snapshotEventSchema) });
export type HistoryEvent = z.infer<typeof historyEventSchema>;

export const liveEventNames = ['history', 'snapshot', 'epoch', 'action'] as const;
export type LiveEvent =
  | { event: 'history'; data: HistoryEvent }
  | { event: 'snapshot'; data: SnapshotEvent }
  | { event: 'epoch'; data: EpochEvent }
  | { event: 'action'; data: ActionOutcome };

/** `POST /api/subscriptions/{stream}/{group}/reconnect` → 202. */
export const reconnectResponseSchema = z.object({ requested: z.literal(true) });

/** `POST /api/auth/login` body. */
export const loginRequestSchema = z.object({ token: z.string().min(1, 'token must not be empty').max(4096) });

/**
 * `GET /api/auth/session` (open): lets the UI choose between data, a read-only view and the
 * log-in screen without reading the HttpOnly cookie.
 */
export const sessionResponseSchema = z.object({
  authenticated: z.boolean(),
  publicRead: z.boolean(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const readinessResponseSchema = z.object({
  status: z.enum(['ready', 'not-ready']),
  reasons: z.array(z.string()),
});

/**
 * How a ParkedMessage's `data` / `metadata` text was produced: pretty-printed JSON, the raw text
 * of a JSON event whose body does not parse, base64 of binary bytes, or nothing (empty).
 */
export const parkedTextEncodingSchema = z.enum(['json', 'text', 'base64', 'none']);
export type ParkedTextEncoding = z.infer<typeof parkedTextEncodingSchema>;

/**
 * One entry of `$persistentsubscription-<stream>::<group>-parked` (DESIGN.md §7). `data` and
 * `metadata` are text, never markup: the UI must render them as text. `eventId`/`type` are null
 * when the parked link's target no longer exists (stream deleted or truncated).
 */
export const parkedMessageSchema = z.object({
  /** Event number in the parked stream (absolute; what `stopAt` counts in). */
  parkedEventNumber: z.number().int().nonnegative(),
  eventId: z.string().nullable(),
  stream: z.string(),
  revision: z.string(),
  type: z.string().nullable(),
  data: z.string(),
  dataEncoding: parkedTextEncodingSchema,
  metadata: z.string(),
  metadataEncoding: parkedTextEncodingSchema,
  reason: z.string(),
  /** ISO time the server parked it (`added` of the parked link), null when absent. */
  parkedAt: z.string().nullable(),
});
export type ParkedMessage = z.infer<typeof parkedMessageSchema>;

/** `GET …/parked?limit=&from=`: `from` is an absolute parked event number (default: the oldest visible). */
export const parkedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  from: z.coerce.number().int().min(0).optional(),
});

export const parkedResponseSchema = z.object({
  /** Visible parked messages (after `$tb`): last parked event number − truncate-before + 1. */
  total: z.number().int().nonnegative(),
  /** Event number of the oldest visible parked message; null when none. */
  first: z.number().int().nonnegative().nullable(),
  /** `from` of the next page; null on the last page. */
  next: z.number().int().nonnegative().nullable(),
  parked: z.array(parkedMessageSchema),
});
export type ParkedResponse = z.infer<typeof parkedResponseSchema>;

/** `POST …/replay` body: `stopAt` is an absolute parked event number, exclusive (esdb-semantics §3.3). */
export const replayRequestSchema = z
  .object({ stopAt: z.number({ error: 'stopAt must be a number' }).int('stopAt must be an integer').min(0, 'stopAt must be ≥ 0').optional() })
  .strict();

/** `POST …/replay` → 202. `requested`: how many parked messages the server was asked to redeliver. */
export const replayResponseSchema = z.object({
  requested: z.number().int().nonnegative(),
  parkedBefore: z.number().int().nonnegative(),
});
export type ReplayResponse = z.infer<typeof replayResponseSchema>;

/** `POST …/park` body: the original event id of a delivery in flight or held by subwatch's subscriber. */
export const parkRequestSchema = z
  .object({
    eventId: z.uuid('eventId must be a UUID'),
    reason: z.string().trim().max(500, 'reason must be at most 500 characters').optional(),
  })
  .strict();

export const parkResponseSchema = z.object({ parked: z.literal(true) });

/**
 * Where a held delivery is: `waiting-claim` until its dedup key is claimed (store call, a copy of
 * the same key being handled here, another instance's lease), `in-sink` during the sink call,
 * `waiting-retry` between a failed attempt and its nack `retry` (the retry delay).
 */
export const heldPhaseSchema = z.enum(['in-sink', 'waiting-retry', 'waiting-claim']);
export type HeldPhase = z.infer<typeof heldPhaseSchema>;

/** One delivery a proxied subscriber holds right now (received, not yet acked or nacked). */
export const heldDeliverySchema = z.object({
  /** Original event id: what `POST …/park` takes. */
  eventId: z.string(),
  /** Dedup key (the event id for an event without its business key). */
  key: z.string(),
  /** Stream and revision (decimal string) of the original event. */
  stream: z.string(),
  revision: z.string(),
  type: z.string(),
  /** Server retry count of this copy. */
  retryCount: z.number().int().nonnegative(),
  /** Epoch (connection) this copy arrived on. */
  epoch: z.number().int().nonnegative(),
  /**
   * ISO time the subscriber started holding this event: the first of the copies that followed
   * each other through nack retries (a gap of over a minute without a copy starts anew).
   */
  since: z.string(),
  phase: heldPhaseSchema,
  /** Why the latest attempt failed (e.g. the sink's answer), as plain text; absent before a failure. */
  lastOutcome: z.string().optional(),
});
export type HeldDelivery = z.infer<typeof heldDeliverySchema>;

/** Default and maximum number of held deliveries `GET …/held` lists. */
export const HELD_LIST_LIMIT = 100;

/** `GET …/held?limit=`: oldest first, at most `limit`. */
export const heldQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(HELD_LIST_LIMIT).default(HELD_LIST_LIMIT),
});

export const heldResponseSchema = z.object({
  held: z.array(heldDeliverySchema),
  /** Every delivery held, also those beyond `limit`. */
  total: z.number().int().nonnegative(),
});
export type HeldResponse = z.infer<typeof heldResponseSchema>;
