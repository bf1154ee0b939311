/** Which file is read (SUBWATCH_CONFIG, else ./subwatch.config.json when present) and how read errors read. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../lib/config/schema';
import { ConfigFileError } from '../lib/config/proxies-schema';
import { loadSubwatchConfigFile } from './load-config-file';

const proxy = { stream: 'orders', group: 'billing', sink: { type: 'webhook', url: 'http://127.0.0.1:4000/' } };
let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'subwatch-config-file-'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe('loadSubwatchConfigFile', () => {
  it('returns undefined when SUBWATCH_CONFIG is unset and ./subwatch.config.json does not exist', () => {
    expect(loadSubwatchConfigFile(undefined, cwd)).toBeUndefined();
  });

  it('reads ./subwatch.config.json from the working directory when present', () => {
    writeFileSync(path.join(cwd, 'subwatch.config.json'), JSON.stringify({ proxies: [proxy] }));
    const file = loadSubwatchConfigFile(undefined, cwd);
    expect(file?.source).toBe(path.join(cwd, 'subwatch.config.json'));
    expect(file?.proxies.map((p) => `${p.stream}/${p.group}`)).toEqual(['orders/billing']);
  });

  it('resolves SUBWATCH_CONFIG against the working directory and prefers it over the default file', () => {
    mkdirSync(path.join(cwd, 'conf'));
    writeFileSync(path.join(cwd, 'subwatch.config.json'), '{ broken');
    writeFileSync(path.join(cwd, 'conf', 'proxies.json'), JSON.stringify({ proxies: [proxy] }));
    expect(loadSubwatchConfigFile('conf/proxies.json', cwd)?.source).toBe(path.join(cwd, 'conf', 'proxies.json'));
  });

  it('fails with the variable name when the named file is missing or a directory', () => {
    expect(() => loadSubwatchConfigFile('nope.json', cwd)).toThrow(ConfigError);
    expect(() => loadSubwatchConfigFile('nope.json', cwd)).toThrow(`SUBWATCH_CONFIG: cannot read ${path.join(cwd, 'nope.json')}: no such file`);
    expect(() => loadSubwatchConfigFile('.', cwd)).toThrow(`SUBWATCH_CONFIG: cannot read ${cwd}: it is a directory`);
  });

  it('reports an invalid default file with its path', () => {
    writeFileSync(path.join(cwd, 'subwatch.config.json'), JSON.stringify({ proxies: [{ ...proxy, group: '' }] }));
    expect(() => loadSubwatchConfigFile(undefined, cwd)).toThrow(ConfigFileError);
    expect(() => loadSubwatchConfigFile(undefined, cwd)).toThrow(
      `Invalid config file ${path.join(cwd, 'subwatch.config.json')}:\n  - proxies[0].group: must be a non-empty string`,
    );
  });
});
