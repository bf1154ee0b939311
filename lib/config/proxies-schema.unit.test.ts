import { describe, expect, it } from 'vitest';
import { ConfigError } from './schema';
import { ConfigFileError, parseDuration, parseSubwatchConfigFile, PROXY_DEFAULTS } from './proxies-schema';

const webhook = { type: 'webhook', url: 'http://127.0.0.1:4000/orders' };

function problemsOf(value: unknown): string[] {
  try {
    parseSubwatchConfigFile(typeof value === 'string' ? value : JSON.stringify(value), 'subwatch.config.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigFileError).problems;
  }
  throw new Error('expected the file to be rejected');
}

describe('parseSubwatchConfigFile', () => {
  it('parses the DESIGN.md §5 example into typed, frozen proxy definitions', () => {
    const config = parseSubwatchConfigFile(
      JSON.stringify({
        proxies: [
          {
            stream: 'orders',
            group: 'billing',
            createIfMissing: { startFrom: 'start', maxRetryCount: 5 },
            bufferSize: 10,
            dedup: { key: 'eventId', retention: '7d' },
            sink: { type: 'webhook', url: 'http://127.0.0.1:4000/orders', timeoutMs: 5000, headers: { 'x-api-key': 'secret' } },
          },
        ],
        store: { type: 'sqlite' },
      }),
      'subwatch.config.json',
    );
    expect(config.source).toBe('subwatch.config.json');
    expect(config.store).toEqual({ type: 'sqlite' });
    expect(config.proxies).toEqual([
      {
        stream: 'orders',
        group: 'billing',
        createIfMissing: { startFrom: 'start', maxRetryCount: 5 },
        bufferSize: 10,
        dedup: { key: 'eventId', retention: '7d', retentionMs: 7 * 86_400_000 },
        sink: { type: 'webhook', url: 'http://127.0.0.1:4000/orders', timeoutMs: 5000, headers: { 'x-api-key': 'secret' } },
      },
    ]);
    expect(Object.isFrozen(config.proxies[0]!.sink.headers)).toBe(true);
    expect(Object.isFrozen(config.proxies)).toBe(true);
  });

  it('applies the documented defaults and accepts an empty file object', () => {
    expect(parseSubwatchConfigFile('{}', 'x.json')).toMatchObject({ proxies: [], store: { type: 'sqlite' } });
    const [proxy] = parseSubwatchConfigFile(JSON.stringify({ proxies: [{ stream: 'orders', group: 'billing', sink: webhook }] }), 'x.json').proxies;
    expect(proxy).toEqual({
      stream: 'orders',
      group: 'billing',
      bufferSize: PROXY_DEFAULTS.bufferSize,
      dedup: { key: 'eventId', retention: '7d', retentionMs: 604_800_000 },
      sink: { type: 'webhook', url: webhook.url, timeoutMs: 5000, headers: {} },
    });
  });

  it('defaults a created group to start at the end (the server default) and maps durations and revisions', () => {
    const [proxy, second] = parseSubwatchConfigFile(
      JSON.stringify({
        proxies: [
          {
            stream: 'orders',
            group: 'billing',
            createIfMissing: { messageTimeout: '2s', checkPointAfter: 500, consumerStrategy: 'DispatchToSingle' },
            sink: webhook,
          },
          { stream: 'orders', group: 'audit', createIfMissing: { startFrom: 42 }, sink: webhook },
        ],
      }),
      'x.json',
    ).proxies;
    expect(proxy!.createIfMissing).toEqual({
      startFrom: 'end',
      messageTimeoutMs: 2000,
      checkPointAfterMs: 500,
      consumerStrategy: 'DispatchToSingle',
    });
    expect(second!.createIfMissing!.startFrom).toBe(42n);
  });

  it('accepts every dedup key form and retention unit', () => {
    for (const key of ['eventId', 'streamRevision', 'metadata:orderId', 'data:order.id']) {
      const [proxy] = parseSubwatchConfigFile(
        JSON.stringify({ proxies: [{ stream: 's', group: 'g', dedup: { key, retention: '12h' }, sink: webhook }] }),
        'x.json',
      ).proxies;
      expect(proxy!.dedup).toEqual({ key, retention: '12h', retentionMs: 12 * 3_600_000 });
    }
    expect([parseDuration('500ms'), parseDuration('45s'), parseDuration('30m'), parseDuration('2w')]).toEqual([
      500, 45_000, 1_800_000, 1_209_600_000,
    ]);
    expect([parseDuration('0d'), parseDuration('7 days'), parseDuration('1.5h'), parseDuration('')]).toEqual([
      undefined, undefined, undefined, undefined,
    ]);
  });

  it('accepts $all with a stream-name prefix filter or an event-type regex when the group is created here', () => {
    const config = parseSubwatchConfigFile(
      JSON.stringify({
        proxies: [
          { stream: '$all', group: 'orders-all', filter: { on: 'streamName', prefixes: ['orders-'] }, createIfMissing: { startFrom: 'start' }, sink: webhook },
          { stream: '$all', group: 'placed', filter: { on: 'eventType', regex: '^Order(Placed|Paid)$' }, createIfMissing: {}, sink: webhook },
          { stream: '$all', group: 'everything', sink: webhook },
        ],
      }),
      'x.json',
    );
    expect(config.proxies.map((p) => p.filter)).toEqual([
      { on: 'streamName', prefixes: ['orders-'] },
      { on: 'eventType', regex: '^Order(Placed|Paid)$' },
      undefined,
    ]);
  });

  it('lists every problem at once, each with its JSON path, grouped by proxy', () => {
    const problems = problemsOf({
      proxies: [
        {
          stream: '',
          group: 3,
          bufersize: 2,
          dedup: { key: 'foo', retention: '7 days' },
          sink: { type: 'kafka', url: 'ftp://x', timeoutMs: 0, headers: { 'Idempotency-Key': 'x', 'bad name': 'y', 'x-n': 5 } },
        },
        {
          stream: 'orders',
          group: 'billing',
          createIfMissing: { startFrom: -1, maxRetryCount: 1.5, consumerStrategy: 'Random', messageTimeout: 'soon' },
          bufferSize: 0,
          sink: { type: 'webhook', url: 'not a url' },
        },
        {},
        5,
      ],
      store: { type: 'redis' },
      extra: true,
    });
    expect(problems).toEqual([
      'proxies[0].stream: must be a non-empty string',
      'proxies[0].group: must be a non-empty string, got number',
      'proxies[0].dedup.key: must be "eventId", "streamRevision", "metadata:<field>" or "data:<json.path>" (dot-separated, no empty segments)',
      'proxies[0].dedup.retention: must be a duration such as "7d", "12h", "30m" (units ms, s, m, h, d, w)',
      'proxies[0].sink.type: must be "webhook" (the only sink type in this version)',
      'proxies[0].sink.url: must be an http(s) URL',
      'proxies[0].sink.timeoutMs: must be an integer 1–600000',
      'proxies[0].sink.headers["x-n"]: header values must be strings, got number',
      'proxies[0].bufersize: unknown key',
      'proxies[0].sink.headers["Idempotency-Key"]: set by subwatch itself; it cannot be configured',
      'proxies[0].sink.headers["bad name"]: not a valid HTTP header name',
      'proxies[1].createIfMissing.startFrom: must be "start", "end" or a stream revision (integer ≥ 0)',
      'proxies[1].createIfMissing.messageTimeout: must be 1–86400000 ms (integer) or a duration such as "30s", got "soon"',
      'proxies[1].createIfMissing.maxRetryCount: must be an integer 0–1000000',
      'proxies[1].createIfMissing.consumerStrategy: must be "RoundRobin", "DispatchToSingle" or "Pinned"',
      'proxies[1].bufferSize: must be an integer 1–1000',
      'proxies[1].sink.url: must be an http(s) URL',
      'proxies[2].stream: is required',
      'proxies[2].group: is required',
      'proxies[2].sink: is required',
      'proxies[3]: must be an object',
      'store.type: must be "sqlite" (shared Redis/PostgreSQL stores are not available in this version)',
      'extra: unknown key',
    ]);
  });

  it('names the file and puts one problem per line in the message', () => {
    let error: unknown;
    try {
      parseSubwatchConfigFile(JSON.stringify({ proxies: [{ stream: 'a', group: 'b', sink: { type: 'webhook', url: 'mailto:x' } }] }), '/etc/subwatch.json');
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe('Invalid config file /etc/subwatch.json:\n  - proxies[0].sink.url: must be an http(s) URL');
  });

  it('rejects a stream/group pair proxied twice, naming both entries', () => {
    expect(
      problemsOf({
        proxies: [
          { stream: 'orders', group: 'billing', sink: webhook },
          { stream: 'orders', group: 'audit', sink: webhook },
          { stream: 'orders', group: 'billing', sink: { ...webhook, url: 'http://127.0.0.1:4001/' } },
        ],
      }),
    ).toEqual(['proxies[2]: duplicate of proxies[0] (stream "orders", group "billing"): each stream/group pair can be proxied once']);
  });

  it('rejects filters outside $all, without createIfMissing, with both or neither of prefixes/regex, or with a bad regex', () => {
    expect(
      problemsOf({
        proxies: [
          { stream: 'orders', group: 'a', filter: { on: 'streamName', prefixes: ['x'] }, createIfMissing: {}, sink: webhook },
          { stream: '$all', group: 'b', filter: { on: 'streamName', prefixes: ['x'] }, sink: webhook },
          { stream: '$all', group: 'c', filter: { on: 'eventType', prefixes: ['x'], regex: 'y' }, createIfMissing: {}, sink: webhook },
          { stream: '$all', group: 'd', filter: { on: 'eventType', regex: '(' }, createIfMissing: { startFrom: 5 }, sink: webhook },
          { stream: '$all', group: 'e', filter: { on: 'category', prefixes: [] }, createIfMissing: {}, sink: webhook },
        ],
      }),
    ).toEqual([
      'proxies[0].filter: only allowed when stream is "$all"',
      'proxies[1].filter: only used when subwatch creates the group: add createIfMissing, or remove the filter',
      'proxies[2].filter: set exactly one of "prefixes" or "regex"',
      'proxies[3].filter.regex: not a valid regular expression (Invalid regular expression: /(/: Unterminated group)',
      'proxies[3].createIfMissing.startFrom: must be "start" or "end" for $all (a revision is a stream position)',
      'proxies[4].filter.on: must be "streamName" or "eventType"',
      'proxies[4].filter.prefixes: must list at least one prefix',
    ]);
  });

  it('reports malformed JSON and a non-object document', () => {
    expect(problemsOf('{"proxies": [')[0]).toMatch(/^not valid JSON: /);
    expect(problemsOf('[]')).toEqual(['(root): the file must contain a JSON object']);
    expect(problemsOf({ proxies: {} })).toEqual(['proxies: must be an array of proxy definitions']);
  });

  it('rejects URL credentials together with an authorization header', () => {
    expect(
      problemsOf({ proxies: [{ stream: 's', group: 'g', sink: { ...webhook, url: 'https://u:p@hooks.example/x', headers: { Authorization: 'Bearer t' } } }] }),
    ).toEqual(['proxies[0].sink.url: has credentials and sink.headers has an authorization header; keep one']);
  });

  it('never echoes a header value in a problem (it may be a secret)', () => {
    const problems = problemsOf({
      proxies: [{ stream: 's', group: 'g', sink: { ...webhook, headers: { authorization: 'Bearer top-secret\r\nx: y' } } }],
    });
    expect(problems).toEqual(['proxies[0].sink.headers.authorization: the value must not contain line breaks or NUL']);
    expect(problems.join('\n')).not.toContain('top-secret');
  });
});
