import { type z } from 'zod';

import { errorBodySchema } from '@/lib/api/schemas';

/** A non-2xx API answer, with the `{ error: { code, message } }` body when there was one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** True for "the server could not be reached" (as opposed to an HTTP error answer). */
export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof ApiError && error.code === 'NETWORK');
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** `/api/subscriptions/{stream}/{group}` with both segments URL-encoded (`$all` → `%24all`). */
export function subscriptionPath(stream: string, group: string, suffix = ''): string {
  return `/api/subscriptions/${encodeURIComponent(stream)}/${encodeURIComponent(group)}${suffix}`;
}

/** Fetches same-origin JSON (cookies included) and validates it against the shared contract. */
export async function fetchJson<T extends z.ZodType>(
  path: string,
  schema: T,
  init?: RequestInit & { signal?: AbortSignal },
): Promise<z.infer<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}), ...init?.headers },
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'The subwatch server is unreachable.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(body);
    throw parsed.success
      ? new ApiError(response.status, parsed.data.error.code, parsed.data.error.message)
      : new ApiError(response.status, 'HTTP', `Request failed with HTTP ${response.status}.`);
  }
  return schema.parse(body);
}
