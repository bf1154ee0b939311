/**
 * `subwatch.config.json` (DESIGN.md §5) → typed, frozen proxy definitions. Pure: the caller (server/)
 * reads the file and passes its text. Every problem is reported at once, each with its JSON path
 * (`proxies[0].sink.url: must be an http(s) URL`), so a bad file fails at boot with one message.
 *
 * Unknown keys are errors (a typo such as `bufersize` must not silently fall back to a default).
 */
import { z } from 'zod';
import type { DedupKeySpec } from '../subscriber/dedup-key';
import { ConfigError } from './schema';

/** Defaults applied by the parser (documented in README "Proxying subscriptions"). */
export const PROXY_DEFAULTS = Object.freeze({
  bufferSize: 10,
  dedupKey: 'eventId' as DedupKeySpec,
  retention: '7d',
  sinkTimeoutMs: 5_000,
});

export type StartFrom = 'start' | 'end' | bigint;

/** Settings for a group subwatch creates when it is missing (the server's own defaults otherwise). */
export interface CreateIfMissing {
  /** Where a new group starts. Default `end` (the server's default). A revision only for streams. */
  startFrom: StartFrom;
  resolveLinkTos?: boolean;
  extraStatistics?: boolean;
  messageTimeoutMs?: number;
  maxRetryCount?: number;
  checkPointAfterMs?: number;
  checkPointLowerBound?: number;
  checkPointUpperBound?: number;
  /** 0 = unbounded. */
  maxSubscriberCount?: number;
  liveBufferSize?: number;
  readBatchSize?: number;
  historyBufferSize?: number;
  consumerStrategy?: 'RoundRobin' | 'DispatchToSingle' | 'Pinned';
}

/** Server-side `$all` filter (only used when subwatch creates the group). */
export type AllFilter =
  | { on: 'streamName' | 'eventType'; prefixes: string[]; regex?: never }
  | { on: 'streamName' | 'eventType'; regex: string; prefixes?: never };

export interface WebhookSinkConfig {
  type: 'webhook';
  url: string;
  timeoutMs: number;
  /** Sent with every call. Values may be secrets: never log them. */
  headers: Readonly<Record<string, string>>;
}

export interface ProxyConfig {
  stream: string;
  group: string;
  filter?: AllFilter;
  createIfMissing?: CreateIfMissing;
  bufferSize: number;
  dedup: { key: DedupKeySpec; retention: string; retentionMs: number };
  sink: WebhookSinkConfig;
}

export interface SubwatchConfigFile {
  /** Where it was read from (a path, for messages). */
  source: string;
  proxies: readonly ProxyConfig[];
  store: { type: 'sqlite' };
}

export class ConfigFileError extends ConfigError {
  readonly source: string;
  constructor(source: string, problems: string[]) {
    super(problems);
    this.name = 'ConfigFileError';
    this.source = source;
    this.message = `Invalid config file ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
  }
}

// ---- field schemas ----------------------------------------------------------------------------

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `'7d'`, `'12h'`, `'30m'`, `'45s'`, `'500ms'`, `'2w'` → milliseconds; undefined when malformed or 0. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * DURATION_UNITS_MS[match[2]!]!;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

const typeName = (input: unknown) => (input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input);

const requiredString = (what = 'a non-empty string') =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : `must be ${what}, got ${typeName(iss.input)}`) })
    .trim()
    .min(1, { error: `must be ${what}` });

const int = (min: number, max: number) =>
  z
    .number({ error: (iss) => `must be an integer ${min}–${max}, got ${iss.input === undefined ? 'nothing' : JSON.stringify(iss.input)}` })
    .int({ error: `must be an integer ${min}–${max}` })
    .min(min, { error: `must be an integer ${min}–${max}` })
    .max(max, { error: `must be an integer ${min}–${max}` });

const bool = () => z.boolean({ error: (iss) => `must be true or false, got ${typeName(iss.input)}` });

/** Milliseconds as an integer, or a duration string such as `"30s"`. */
const durationMs = (min: number, max: number) =>
  z.union([z.number(), z.string()], { error: () => `must be milliseconds (integer) or a duration such as "30s"` }).transform((value, ctx) => {
    const ms = typeof value === 'number' ? (Number.isInteger(value) ? value : undefined) : parseDuration(value);
    if (ms === undefined || ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be ${min}–${max} ms (integer) or a duration such as "30s", got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return ms;
  });

const httpUrl = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be an http(s) URL') })
  .trim()
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
      } catch {
        // Not parseable: reported by this refinement's message.
        return false;
      }
    },
    { error: 'must be an http(s) URL' },
  );

/** Headers subwatch sets itself (or that fetch owns); configuring them is a mistake. */
export const RESERVED_SINK_HEADERS: readonly string[] = ['content-type', 'content-length', 'idempotency-key', 'host', 'transfer-encoding', 'connection'];

const headersSchema = z.record(
  z.string(),
  z.string({ error: (iss) => `header values must be strings, got ${typeName(iss.input)}` }),
  { error: 'must be an object of header name → string value' },
);
// Header names and values are checked in the cross-field pass (they must be reported even when
// another header's value has the wrong type, which stops zod's refinements of the record).

const dedupKeySchema = z
  .string({ error: () => 'must be "eventId", "streamRevision", "metadata:<field>" or "data:<json.path>"' })
  .refine((key) => key === 'eventId' || key === 'streamRevision' || /^(metadata|data):[^.\s]+(\.[^.\s]+)*$/.test(key), {
    error: 'must be "eventId", "streamRevision", "metadata:<field>" or "data:<json.path>" (dot-separated, no empty segments)',
  })
  .transform((key) => key as DedupKeySpec);

const retentionSchema = z
  .string({ error: () => 'must be a duration such as "7d", "12h", "30m"' })
  .refine((value) => parseDuration(value) !== undefined, { error: 'must be a duration such as "7d", "12h", "30m" (units ms, s, m, h, d, w)' });

const startFromSchema = z.custom<'start' | 'end' | number>(
  (value) => value === 'start' || value === 'end' || (Number.isSafeInteger(value) && (value as number) >= 0),
  { error: 'must be "start", "end" or a stream revision (integer ≥ 0)' },
);

const createIfMissingSchema = z.strictObject(
  {
    startFrom: startFromSchema.optional(),
    resolveLinkTos: bool().optional(),
    extraStatistics: bool().optional(),
    messageTimeout: durationMs(1, 24 * 3_600_000).optional(),
    maxRetryCount: int(0, 1_000_000).optional(),
    checkPointAfter: durationMs(1, 24 * 3_600_000).optional(),
    checkPointLowerBound: int(1, 1_000_000).optional(),
    checkPointUpperBound: int(1, 1_000_000).optional(),
    maxSubscriberCount: int(0, 1_000_000).optional(),
    liveBufferSize: int(1, 1_000_000).optional(),
    readBatchSize: int(1, 1_000_000).optional(),
    historyBufferSize: int(1, 1_000_000).optional(),
    consumerStrategy: z
      .enum(['RoundRobin', 'DispatchToSingle', 'Pinned'], { error: () => 'must be "RoundRobin", "DispatchToSingle" or "Pinned"' })
      .optional(),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'must be an object of group settings' : undefined) },
);

const filterSchema = z.strictObject(
  {
    on: z.enum(['streamName', 'eventType'], { error: () => 'must be "streamName" or "eventType"' }),
    prefixes: z
      .array(requiredString(), { error: () => 'must be an array of non-empty strings' })
      .min(1, { error: 'must list at least one prefix' })
      .optional(),
    regex: requiredString('a regular expression').optional(),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'must be an object {on, prefixes} or {on, regex}' : undefined) },
);

const sinkSchema = z.strictObject(
  {
    type: z.literal('webhook', { error: () => 'must be "webhook" (the only sink type in this version)' }),
    url: httpUrl,
    timeoutMs: int(1, 600_000).optional(),
    headers: headersSchema.optional(),
  },
  { error: (iss) => (iss.input === undefined ? 'is required' : iss.code === 'invalid_type' ? 'must be an object' : undefined) },
);

const proxySchema = z.strictObject(
  {
    stream: requiredString(),
    group: requiredString(),
    filter: filterSchema.optional(),
    createIfMissing: createIfMissingSchema.optional(),
    bufferSize: int(1, 1_000).optional(),
    dedup: z
      .strictObject(
        { key: dedupKeySchema.optional(), retention: retentionSchema.optional() },
        { error: (iss) => (iss.code === 'invalid_type' ? 'must be an object {key, retention}' : undefined) },
      )
      .optional(),
    sink: sinkSchema,
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'must be an object' : undefined) },
);

const fileSchema = z.strictObject(
  {
    $schema: z.string().optional(),
    proxies: z.array(proxySchema, { error: () => 'must be an array of proxy definitions' }).optional(),
    store: z
      .strictObject(
        {
          type: z.literal('sqlite', {
            error: () => 'must be "sqlite" (shared Redis/PostgreSQL stores are not available in this version)',
          }),
        },
        { error: (iss) => (iss.code === 'invalid_type' ? 'must be an object {type: "sqlite"}' : undefined) },
      )
      .optional(),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'the file must contain a JSON object' : undefined) },
);

// ---- parse ------------------------------------------------------------------------------------

/** `['proxies', 0, 'sink', 'headers', 'x-key']` → `proxies[0].sink.headers["x-key"]`. */
export function toJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Parses and validates the text of a config file. `sourceName` (usually the path) appears in
 * the error message.
 * @throws ConfigFileError (a ConfigError) listing every problem, one per line, each with its JSON path.
 */
export function parseSubwatchConfigFile(text: string, sourceName: string): SubwatchConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(sourceName, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = fileSchema.safeParse(json);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push(`${toJsonPath([...issue.path, key])}: unknown key`);
      } else {
        problems.push(`${toJsonPath(issue.path)}: ${issue.message}`);
      }
    }
  }
  // Cross-field rules run on whatever parts are well-formed, so one run lists every problem.
  const raw = json as { proxies?: unknown };
  const proxies: unknown[] = Array.isArray(raw?.proxies) ? raw.proxies : [];
  const seen = new Map<string, number>();
  proxies.forEach((candidate, index) => {
    if (candidate === null || typeof candidate !== 'object') return;
    const p = candidate as Record<string, unknown>;
    const at = (field: string) => `proxies[${index}].${field}`;
    const stream = typeof p.stream === 'string' ? p.stream.trim() : undefined;
    const group = typeof p.group === 'string' ? p.group.trim() : undefined;
    if (stream && group) {
      const key = JSON.stringify([stream, group]);
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push(
          `proxies[${index}]: duplicate of proxies[${first}] (stream "${stream}", group "${group}"): each stream/group pair can be proxied once`,
        );
      } else {
        seen.set(key, index);
      }
    }
    const sink = p.sink as Record<string, unknown> | undefined;
    const headers = sink !== null && typeof sink === 'object' ? sink.headers : undefined;
    if (headers !== null && typeof headers === 'object' && !Array.isArray(headers)) {
      for (const [name, value] of Object.entries(headers)) {
        const path = toJsonPath(['proxies', index, 'sink', 'headers', name]);
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) problems.push(`${path}: not a valid HTTP header name`);
        else if (RESERVED_SINK_HEADERS.includes(name.toLowerCase())) problems.push(`${path}: set by subwatch itself; it cannot be configured`);
        // The value is never echoed: it may be a secret.
        // CR, LF and NUL would split or corrupt the request.
        if (typeof value === 'string' && /[\r\n\x00]/.test(value)) problems.push(`${path}: the value must not contain line breaks or NUL`);
      }
    }
    if (headers !== null && typeof headers === 'object' && typeof sink?.url === 'string' && /^https?:\/\/[^/?#]*@/i.test(sink.url.trim())) {
      if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
        problems.push(`${at('sink.url')}: has credentials and sink.headers has an authorization header; keep one`);
      }
    }
    const filter = p.filter as Record<string, unknown> | undefined;
    if (filter !== undefined) {
      if (stream !== undefined && stream !== '$all') problems.push(`${at('filter')}: only allowed when stream is "$all"`);
      if (p.createIfMissing === undefined) {
        problems.push(`${at('filter')}: only used when subwatch creates the group: add createIfMissing, or remove the filter`);
      }
      if (filter !== null && typeof filter === 'object') {
        const hasPrefixes = filter.prefixes !== undefined;
        const hasRegex = filter.regex !== undefined;
        if (hasPrefixes === hasRegex) problems.push(`${at('filter')}: set exactly one of "prefixes" or "regex"`);
        if (typeof filter.regex === 'string') {
          try {
            new RegExp(filter.regex);
          } catch (error) {
            problems.push(`${at('filter.regex')}: not a valid regular expression (${(error as Error).message})`);
          }
        }
      }
    }
    const create = p.createIfMissing as Record<string, unknown> | undefined;
    if (stream === '$all' && create && typeof create === 'object' && typeof create.startFrom === 'number') {
      problems.push(`${at('createIfMissing.startFrom')}: must be "start" or "end" for $all (a revision is a stream position)`);
    }
    if (create && typeof create === 'object') {
      const lower = create.checkPointLowerBound;
      const upper = create.checkPointUpperBound;
      if (typeof lower === 'number' && typeof upper === 'number' && lower > upper) {
        problems.push(`${at('createIfMissing.checkPointLowerBound')}: must not exceed checkPointUpperBound (${upper})`);
      }
    }
  });
  if (problems.length > 0 || !parsed.success) throw new ConfigFileError(sourceName, byProxy(problems));

  const file = parsed.data;
  const result: SubwatchConfigFile = {
    source: sourceName,
    proxies: (file.proxies ?? []).map((p) => {
      const retention = p.dedup?.retention ?? PROXY_DEFAULTS.retention;
      const c = p.createIfMissing;
      const proxy: ProxyConfig = {
        stream: p.stream,
        group: p.group,
        ...(p.filter ? { filter: p.filter as AllFilter } : {}),
        ...(c
          ? {
              createIfMissing: dropUndefined({
                startFrom: typeof c.startFrom === 'number' ? BigInt(c.startFrom) : (c.startFrom ?? 'end'),
                resolveLinkTos: c.resolveLinkTos,
                extraStatistics: c.extraStatistics,
                messageTimeoutMs: c.messageTimeout,
                maxRetryCount: c.maxRetryCount,
                checkPointAfterMs: c.checkPointAfter,
                checkPointLowerBound: c.checkPointLowerBound,
                checkPointUpperBound: c.checkPointUpperBound,
                maxSubscriberCount: c.maxSubscriberCount,
                liveBufferSize: c.liveBufferSize,
                readBatchSize: c.readBatchSize,
                historyBufferSize: c.historyBufferSize,
                consumerStrategy: c.consumerStrategy,
              }) as CreateIfMissing,
            }
          : {}),
        bufferSize: p.bufferSize ?? PROXY_DEFAULTS.bufferSize,
        dedup: { key: p.dedup?.key ?? PROXY_DEFAULTS.dedupKey, retention, retentionMs: parseDuration(retention)! },
        sink: {
          type: 'webhook',
          url: p.sink.url,
          timeoutMs: p.sink.timeoutMs ?? PROXY_DEFAULTS.sinkTimeoutMs,
          headers: Object.freeze({ ...(p.sink.headers ?? {}) }),
        },
      };
      return deepFreeze(proxy);
    }),
    store: { type: 'sqlite' },
  };
  return deepFreeze(result);
}

/** Problems grouped by proxy (in file order), then the file-level ones; stable within a group. */
function byProxy(problems: string[]): string[] {
  const rank = (problem: string) => {
    const match = /^proxies\[(\d+)\]/.exec(problem);
    return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
  };
  return problems.map((problem, i) => ({ problem, i, rank: rank(problem) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.problem);
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
