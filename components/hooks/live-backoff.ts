/** Reconnect delay for the live stream: 1 s, 2 s, 4 s … capped at 30 s, with ±20 % jitter. */
export function liveReconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  const jitter = 1 + (random() * 0.4 - 0.2);
  return Math.round(base * jitter);
}
