import { describe, expect, it } from 'vitest';
import { parseSubwatchConfigFile } from '../lib/config/proxies-schema';
import { toPruneRetentionMs } from './configured-proxies';

const DAY = 86_400_000;
const proxies = (...retentions: Array<string | undefined>) =>
  parseSubwatchConfigFile(
    JSON.stringify({
      proxies: retentions.map((retention, i) => ({
        stream: 's',
        group: `g${i}`,
        ...(retention ? { dedup: { retention } } : {}),
        sink: { type: 'webhook', url: 'http://127.0.0.1:1/' },
      })),
    }),
    'x.json',
  ).proxies;

describe('toPruneRetentionMs (one store-wide prune keeps keys for the longest retention)', () => {
  it('uses the default when nothing is configured', () => {
    expect(toPruneRetentionMs([], 7 * DAY, false)).toBe(7 * DAY);
  });

  it('uses the longest configured retention, shorter than the default when the demo is off', () => {
    expect(toPruneRetentionMs(proxies('12h', '2d'), 7 * DAY, false)).toBe(2 * DAY);
    expect(toPruneRetentionMs(proxies('12h', '30d'), 7 * DAY, false)).toBe(30 * DAY);
  });

  it('counts a proxy without dedup.retention at the 7-day default, and the demo at the default', () => {
    expect(toPruneRetentionMs(proxies('12h', undefined), 7 * DAY, false)).toBe(7 * DAY);
    expect(toPruneRetentionMs(proxies('12h'), 7 * DAY, true)).toBe(7 * DAY);
  });
});
