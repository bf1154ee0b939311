import { subscriptionParamsSchema, type SubscriptionRefParams } from '@/lib/api/schemas';

import { parseOrThrow } from './respond';

export type SubscriptionRouteContext = { params: Promise<{ stream: string; group: string }> };

/**
 * Next hands route handlers the decoded segment (`%24all` → `$all`, `%2F` → `/`), so the value
 * is used as is: decoding again would corrupt names that contain a literal `%`.
 */
export async function parseSubscriptionParams(context: SubscriptionRouteContext): Promise<SubscriptionRefParams> {
  return parseOrThrow(subscriptionParamsSchema, await context.params);
}
