import { describe, expect, it } from 'vitest';
import { parseSubwatchConfigFile } from '../lib/config/proxies-schema';
import { toClaimLeaseMs, toPruneRetentionMs } from './configured-proxies';

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

describe('toClaimLeaseMs (a claim outlives the longest sink call, and no more than needed)', () => {
  const withTimeouts = (...timeouts: Array<number | undefined>) =>
    parseSubwatchConfigFile(
      JSON.stringify({
        proxies: timeouts.map((timeoutMs, i) => ({
          stream: 's',
          group: `g${i}`,
          sink: { type: 'webhook', url: 'http://127.0.0.1:1/', ...(timeoutMs === undefined ? {} : { timeoutMs }) },
        })),
      }),
      'x.json',
    ).proxies;

  it('is the default 5 s sink timeout plus 10 s when nothing is configured or only the demo runs', () => {
    expect(toClaimLeaseMs([], false)).toBe(15_000);
    expect(toClaimLeaseMs([], true)).toBe(15_000);
  });

  it('follows the longest configured sink timeout, counting a proxy without one at the default', () => {
    expect(toClaimLeaseMs(withTimeouts(2_000, 30_000), false)).toBe(40_000);
    expect(toClaimLeaseMs(withTimeouts(1_000, undefined), false)).toBe(15_000);
    expect(toClaimLeaseMs(withTimeouts(1_000), false)).toBe(11_000);
    expect(toClaimLeaseMs(withTimeouts(1_000), true)).toBe(15_000);
  });
});
