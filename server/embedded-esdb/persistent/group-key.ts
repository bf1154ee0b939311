/** `"<stream>::<group>"`, the server's subscription key (`BuildSubscriptionGroupKey`). */
export function toGroupKey(stream: string, group: string): string {
  return `${stream}::${group}`;
}

export function checkpointStreamOf(stream: string, group: string): string {
  return `$persistentsubscription-${toGroupKey(stream, group)}-checkpoint`;
}

export function parkedStreamOf(stream: string, group: string): string {
  return `$persistentsubscription-${toGroupKey(stream, group)}-parked`;
}
