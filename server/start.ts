/**
 * `npm start`: builds the dashboard on first start (or when sources are newer than the build),
 * then runs the production server. Keeps README's promise: `npm install && npm start` just works.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const stampFile = path.join(root, '.next', 'subwatch-build-stamp');
const sources = ['app', 'components', 'lib', 'next.config.js', 'package-lock.json', 'tsconfig.json'];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function needsBuild(): boolean {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID')) || !existsSync(stampFile)) return true;
  const built = statSync(stampFile).mtimeMs;
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

const env = process.env as Record<string, string | undefined>;
env.NODE_ENV ??= 'production';
// No phoning home from a tool that runs next to production systems.
env.NEXT_TELEMETRY_DISABLED ??= '1';
if (env.NODE_ENV === 'production' && needsBuild()) {
  process.stdout.write('subwatch: building the dashboard (first start or sources changed)…\n');
  const result = spawnSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    process.stderr.write('subwatch: `next build` failed; see the output above.\n');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, new Date().toISOString());
}

// Loaded only after the build above finished; CommonJS require keeps that order synchronous.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./main');
