/** Dashboard URL of one group; segments are URL-encoded so `$all`, spaces, `/` and `::` round-trip. */
export function subscriptionHref(stream: string, group: string): string {
  return `/subscriptions/${encodeURIComponent(stream)}/${encodeURIComponent(group)}`;
}
