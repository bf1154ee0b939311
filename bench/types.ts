/** Shapes of bench/results/latest.json (issue 7 "Results format", plus details). */

export interface BenchContext {
  /** Small sizes, for the smoke test only: numbers are not meaningful. */
  readonly quick: boolean;
  /** A fresh directory the scenario may write to (removed after the run). */
  readonly tmpDir: string;
  log(message: string): void;
}

export interface ServerThroughput {
  appendOnly: number;
  deliverAckPerEvent: number;
  deliverAckBatched: number;
}

export interface EmbeddedServerResult extends ServerThroughput {
  events: number;
  bufferSize: number;
  /** The top-level numbers are for this mode (how the app runs the server). */
  mode: 'child-process';
  inProcess: ServerThroughput;
}

/** Events/s of every dedup-overhead variant; a store that could not be reached is null with a reason. */
export interface OverheadRates {
  barePerEvent: number;
  bareBatched: number;
  /** The subscriber with an in-memory store: its own cost, with nothing written durably. */
  subscriberWithoutStore: number | null;
  sqlite: number | null;
  sqliteReason?: string;
  redis: number | null;
  redisReason?: string;
  postgres: number | null;
  postgresReason?: string;
}

/** One round of the dedup-overhead scenario: every variant once, back to back. */
export type OverheadRound = OverheadRates;

/** Rates are medians over `rounds`; ratios are medians of the per-round ratios. */
export interface DedupOverheadResult extends OverheadRates {
  events: number;
  bufferSize: number;
  rounds: number;
  ratios: {
    sqliteVsBarePerEvent: number | null;
    sqliteVsBareBatched: number | null;
    redisVsBarePerEvent: number | null;
    postgresVsBarePerEvent: number | null;
    subscriberWithoutStoreVsBareBatched: number | null;
  };
  perRound: OverheadRound[];
}

export interface StoreResult {
  backend: 'sqlite';
  /** Key counts of the two marks (100k and 1M in a full run). */
  keysSmall: number;
  keysLarge: number;
  claimsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  rssMbAt100k: number;
  rssMbAt1M: number;
  heapMbAt100k: number;
  heapMbAt1M: number;
  fileMbAt100k: number;
  fileMbAt1M: number;
  /** Done keys deleted per second by one prune of all of them. */
  prunePerSec: number;
}

export interface FanoutResult {
  clients: number;
  subscriptions: number;
  seconds: number;
  /** The dashboard process (server/main.ts), % of one core while the clients were connected. */
  cpuPercent: number;
  /** The same process with no client connected, for comparison. */
  idleCpuPercent: number | null;
  /** The embedded server's child process during the run (not part of the target). */
  esdbCpuPercent: number | null;
  snapshotsReceived: number;
  p50DelayMs: number;
  p95DelayMs: number;
}

export interface ReconnectResult {
  cuts: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface MemoryResult {
  events: { small: number; large: number };
  rssMbAt100k: number;
  rssMbAt500k: number;
  heapMbAt100k: number;
  heapMbAt500k: number;
}

/** A section as stored: every measured value may be null (then `reason`, or `<field>Reason`, says why). */
export type Stored<T> = {
  [K in keyof T]: T[K] extends number ? number | null : T[K] extends object ? Stored<T[K]> | null : T[K] | null;
} & { reason?: string };

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  memoryGb: number;
  /** 1/5/15-minute load averages when the run started (a busy, shared machine shows here). */
  loadAverageAtStart: number[];
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  /** Free text from `--note=…` (e.g. that the machine was shared with other work). */
  note: string | null;
}

export interface BenchResults {
  machine: Machine;
  dedupOverhead: Stored<DedupOverheadResult>;
  embeddedServer: Stored<EmbeddedServerResult>;
  store: Stored<StoreResult>;
  fanout: Stored<FanoutResult>;
  reconnect: Stored<ReconnectResult>;
  memory: Stored<MemoryResult>;
}

export type SectionName = Exclude<keyof BenchResults, 'machine'>;

/** The values issue 7 requires in each section (checked by the smoke test). */
export const REQUIRED_FIELDS: { readonly [S in SectionName]: readonly string[] } = {
  dedupOverhead: ['barePerEvent', 'bareBatched', 'sqlite', 'redis', 'postgres'],
  embeddedServer: ['appendOnly', 'deliverAckPerEvent', 'deliverAckBatched'],
  store: ['claimsPerSec', 'p50Ms', 'p99Ms', 'rssMbAt100k', 'rssMbAt1M'],
  fanout: ['cpuPercent', 'p95DelayMs'],
  reconnect: ['p50Ms', 'p95Ms'],
  memory: ['rssMbAt100k', 'rssMbAt500k'],
};

/** Required ratios of `dedupOverhead.ratios`. */
export const REQUIRED_RATIOS = ['sqliteVsBarePerEvent', 'sqliteVsBareBatched', 'redisVsBarePerEvent', 'postgresVsBarePerEvent'] as const;
