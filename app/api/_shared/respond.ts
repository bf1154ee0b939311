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

/** Reads a JSON body; a missing or malformed body is a VALIDATION error, not a 500. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('VALIDATION', 'request body must be JSON');
  }
}
