import { subscriptionParamsSchema } from '@/lib/api/schemas';

export type PageParams = { stream: string; group: string };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Why: a malformed escape cannot come from our own links; show it verbatim rather than crash.
    return segment;
  }
}

/**
 * Next 16 hands the page component the segments still percent-encoded (`%24all`, `100%2525`),
 * but `generateMetadata` (and route handlers) get them decoded. Callers say which one they have,
 * so each name is decoded exactly once (decoding twice corrupts names containing `%`); the
 * e2e spec `subscription.spec.ts` pins this behaviour. Returns null for names the API rejects.
 */
export function parsePageParams(params: PageParams, source: 'page' | 'metadata'): PageParams | null {
  const decoded = source === 'page' ? { stream: decodeSegment(params.stream), group: decodeSegment(params.group) } : params;
  const parsed = subscriptionParamsSchema.safeParse(decoded);
  return parsed.success ? parsed.data : null;
}
