import { subscriptionParamsSchema } from '@/lib/api/schemas';

export type PageParams = { stream: string; group: string };

/**
 * Next hands pages the decoded segments (`%24all` → `$all`, `%2F` → `/`, `%2525` → `%25`), like
 * route handlers. They are used as is: decoding again would corrupt names containing `%`.
 * Returns null for values the API would reject anyway (empty, too long).
 */
export function parsePageParams(params: PageParams): PageParams | null {
  const parsed = subscriptionParamsSchema.safeParse(params);
  return parsed.success ? parsed.data : null;
}
