/**
 * Webhook sink (DESIGN.md §6): one `POST` per delivery with a JSON body
 * `{eventId, stream, revision, type, data, metadata, created, retryCount, epoch}` and
 * `Idempotency-Key: <dedup key>`, so the receiver can drop the one repeat subwatch cannot rule
 * out (a call that succeeded right before a crash, before its key was recorded done).
 *
 * Response mapping — the only place HTTP meets SinkResult:
 * - 2xx → ok; 409 → ok (the receiver says it already has it);
 * - 408, 429, 5xx, timeout, network error → retry (the subscriber waits its retry backoff, then
 *   nacks `retry`; the server parks after `maxRetryCount`);
 * - any other status (other 4xx, and 3xx: redirects are not followed, a POST must not turn into a
 *   GET) → park, reason `HTTP <status> <statusText>: <first 200 chars of the body>`.
 *
 * Binary `data` / `metadata` (Uint8Array) is sent as a base64 string, flagged by
 * `dataEncoding: "base64"` / `metadataEncoding: "base64"` (the flags are absent for JSON).
 *
 * Header values are never logged (they carry API keys); the URL is logged without credentials
 * and query string.
 */
import type { Logger } from 'pino';
import type { Delivery, Sink, SinkResult } from './sink';

export interface WebhookSinkOptions {
  /** http(s) URL the events are POSTed to. */
  url: string;
  /** Per call, including reading the response. Default 5000 ms. */
  timeoutMs?: number;
  /** Sent with every call (e.g. `authorization`, `x-api-key`). Values are never logged. */
  headers?: Readonly<Record<string, string>>;
  logger?: Logger;
  /** Defaults to the global `fetch` (tests may pass another implementation). */
  fetch?: typeof fetch;
}

/** The JSON body of one call (DESIGN.md §6). */
export interface WebhookBody {
  eventId: string;
  stream: string;
  /** Decimal string (bigint-safe). */
  revision: string;
  type: string;
  /** Parsed JSON, a base64 string (see `dataEncoding`), or null. */
  data: unknown;
  metadata: unknown;
  /** ISO-8601. */
  created: string;
  retryCount: number;
  epoch: number;
  dataEncoding?: 'base64';
  metadataEncoding?: 'base64';
}

/** Headers the sink owns; passing them in `headers` is a mistake. */
const RESERVED = new Set(['content-type', 'content-length', 'idempotency-key', 'host', 'transfer-encoding', 'connection']);
const REASON_BODY_CHARS = 200;
/** Enough of an error body for the reason, without reading a huge page. */
const MAX_BODY_BYTES = 4_096;

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * A Sink that POSTs each delivery to `url` (mapping and body in the file comment). Credentials in
 * the URL (`https://user:pass@host/…`) are sent as Basic authorization.
 * @throws Error when the URL is not http(s), timeoutMs is not positive, a header is invalid or
 * reserved (content-type, idempotency-key, …), or URL credentials clash with an authorization header.
 */
export function createWebhookSink(options: WebhookSinkOptions): Sink {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`url must be http(s), got ${url.protocol}`);
  } catch {
    // Reported below with the fix.
    problems.push('url must be an absolute http(s) URL');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) problems.push(`timeoutMs must be a positive integer, got ${timeoutMs}`);
  const configured = options.headers ?? {};
  for (const name of Object.keys(configured)) {
    if (RESERVED.has(name.toLowerCase())) problems.push(`header "${name}" is set by the sink itself; remove it`);
    try {
      new Headers([[name, configured[name]!]]);
    } catch {
      // Reported without the value: it may be a secret (fetch's own message would echo it).
      problems.push(`header "${name}" has an invalid name or value (value not shown)`);
    }
  }
  const hasAuthorization = Object.keys(configured).some((name) => name.toLowerCase() === 'authorization');
  if (url && (url.username || url.password) && hasAuthorization) {
    problems.push('url credentials and an authorization header are both set; keep one');
  }
  if (problems.length > 0) throw new Error(`createWebhookSink: ${problems.join('; ')}`);

  // fetch refuses URLs with credentials: `https://user:pass@host/…` becomes Basic authorization.
  const credentials = url!.username || url!.password ? `${decodeURIComponent(url!.username)}:${decodeURIComponent(url!.password)}` : undefined;
  url!.username = '';
  url!.password = '';
  const target = url!.toString();
  const shown = redactUrl(url!);
  const doFetch = options.fetch ?? fetch;
  const logger = options.logger?.child({ sink: 'webhook', url: shown });
  const baseHeaders: Record<string, string> = {
    'user-agent': 'subwatch',
    ...(credentials ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } : {}),
    ...configured,
  };
  /** Error texts may quote the URL; its query string can carry a token. */
  const scrub = (text: string) => text.split(target).join(shown);

  return async function webhookSink(delivery: Delivery): Promise<SinkResult> {
    const body = JSON.stringify(toWebhookBody(delivery));
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await doFetch(target, {
        method: 'POST',
        headers: { ...baseHeaders, 'content-type': 'application/json', 'idempotency-key': delivery.key },
        body,
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      const reason = isTimeout(error, signal) ? `timeout after ${timeoutMs} ms` : `network error: ${scrub(describeFetchError(error))}`;
      logger?.debug({ key: delivery.key, eventId: delivery.eventId, epoch: delivery.epoch }, `webhook call failed: ${reason}`);
      return { outcome: 'retry', reason };
    }
    const { status } = response;
    if ((status >= 200 && status < 300) || status === 409) {
      // Free the connection for reuse; the body is not needed.
      await response.body?.cancel().catch(() => undefined); // a failed cancel only costs the socket
      return { outcome: 'ok' };
    }
    const text = await readPrefix(response, MAX_BODY_BYTES);
    const reason = toReason(response, text);
    if (status === 408 || status === 429 || status >= 500) return { outcome: 'retry', reason };
    return { outcome: 'park', reason };
  };
}

/** The DESIGN.md §6 body of one delivery. */
export function toWebhookBody(delivery: Delivery): WebhookBody {
  const data = encodeValue(delivery.data);
  const metadata = encodeValue(delivery.metadata);
  return {
    eventId: delivery.eventId,
    stream: delivery.stream,
    revision: delivery.revision,
    type: delivery.type,
    data: data.value,
    metadata: metadata.value,
    created: delivery.created,
    retryCount: delivery.retryCount,
    epoch: delivery.epoch,
    ...(data.base64 ? { dataEncoding: 'base64' as const } : {}),
    ...(metadata.base64 ? { metadataEncoding: 'base64' as const } : {}),
  };
}

function encodeValue(value: unknown): { value: unknown; base64: boolean } {
  if (value instanceof Uint8Array) return { value: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'), base64: true };
  return { value: value === undefined ? null : value, base64: false };
}

/** `HTTP 400 Bad Request: <first 200 chars of the body>` (no colon part when the body is empty). */
function toReason(response: Response, body: string): string {
  const head = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const snippet = body.trim().slice(0, REASON_BODY_CHARS);
  return snippet ? `${head}: ${snippet}` : head;
}

async function readPrefix(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // Timeout or reset while reading an error body: the status alone decides, the reason is partial.
  } finally {
    await reader.cancel().catch(() => undefined); // the rest of the body is not needed
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
}

function isTimeout(error: unknown, signal: AbortSignal): boolean {
  const name = (error as { name?: unknown })?.name;
  return name === 'TimeoutError' || (signal.aborted && (signal.reason as { name?: unknown })?.name === 'TimeoutError');
}

/** `ECONNREFUSED 127.0.0.1:4000` rather than undici's bare "fetch failed". */
function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.code === 'string') return `${cause.code}${typeof cause.message === 'string' ? ` (${cause.message})` : ''}`;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Drops credentials and the query string (both may carry secrets). */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}
