/**
 * Reads `subwatch.config.json` (DESIGN.md §4–§5): the path in `SUBWATCH_CONFIG` (already parsed
 * into `Config.configFile`), else `./subwatch.config.json` when that file exists. Validation is
 * lib/config/proxies-schema.ts (pure); this module only touches the file system.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSubwatchConfigFile, type SubwatchConfigFile } from '../lib/config/proxies-schema';
import { ConfigError } from '../lib/config/schema';

export const DEFAULT_CONFIG_FILE = 'subwatch.config.json';

/**
 * @param configFile `Config.configFile` (SUBWATCH_CONFIG), relative to `cwd` unless absolute.
 * @returns undefined when SUBWATCH_CONFIG is unset and there is no `./subwatch.config.json`.
 * @throws ConfigError when the named file cannot be read; ConfigFileError listing every problem
 * when its content is invalid.
 */
export function loadSubwatchConfigFile(configFile: string | undefined, cwd: string = process.cwd()): SubwatchConfigFile | undefined {
  const explicit = configFile !== undefined;
  const file = path.resolve(cwd, configFile ?? DEFAULT_CONFIG_FILE);
  if (!explicit && !existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new ConfigError([`${explicit ? 'SUBWATCH_CONFIG' : DEFAULT_CONFIG_FILE}: cannot read ${file}: ${why}`]);
  }
  return parseSubwatchConfigFile(text, file);
}
