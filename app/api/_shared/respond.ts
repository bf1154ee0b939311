import { type z } from 'zod';

import { AppError, isAppError, toHttpError } from '../../../lib/errors';

const NO_STORE = { 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  merged.set('cache-control', 'no-store');
  return Response.json(body, { status, headers: merged });
}

/** Maps any thrown value to `{ error: { code, message } }`; unexpected errors are logged with the route. */
export function errorResponse(error: unknown, route: string): Response {
  const { status, body } = toHttpError(error);
  if (status >= 500) console.error(`[api] ${route} failed`, error);
  return Response.json(body, { status, headers: { ...NO_STORE, ...retryAfter(error) } });
}

/** RATE_LIMITED errors carry `details.retryAfterSeconds` (app/api/_shared/rate-limit.ts). */
function retryAfter(error: unknown): Record<string, string> {
  if (!isAppError(error) || error.code !== 'RATE_LIMITED') return {};
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' ? { 'retry-after': String(seconds) } : {};
}

/** Runs a handler body and maps whatever it throws (the "map errors" step of a thin route). */
export async function handle(route: string, fn: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    return errorResponse(error, route);
  }
}

/** zod parse → typed value, or AppError VALIDATION listing every issue. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const message = result.error.issues
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    throw new AppError('VALIDATION', message, { issues: result.error.issues });
  }
  return result.data;
}

/** Request bodies are small commands (`{token}`, `{stopAt}`, `{eventId, reason}`); anything larger is refused unread. */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads a JSON body; a missing body is `{}`. Refused with a clear error: more than
 * MAX_BODY_BYTES (PAYLOAD_TOO_LARGE, before reading when Content-Length says so), a body whose
 * Content-Type is not JSON, bytes that are not UTF-8, and malformed JSON (VALIDATION).
 */
export async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const bytes = await readBytes(request, MAX_BODY_BYTES);
  if (bytes.length === 0) return {};
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('VALIDATION', 'request body is not valid UTF-8');
  }
  if (text.trim() === '') return {};
  if (!JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
    throw new AppError('VALIDATION', 'request body must be sent with "Content-Type: application/json"');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('VALIDATION', 'request body must be JSON');
  }
}

function tooLarge(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `request body larger than ${MAX_BODY_BYTES / 1024} KiB`);
}

/** Reads at most `max` bytes; a longer body (chunked, no Content-Length) is cancelled and refused. */
async function readBytes(request: Request, max: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel('body too large');
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
