/**
 * `npm start`: builds the dashboard on first start (or when sources are newer than the build),
 * then runs the production server. Keeps README's promise: `npm install && npm start` just works.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const sources = ['app', 'components', 'lib', 'next.config.js', 'package-lock.json', 'tsconfig.json'];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** Next writes BUILD_ID at the end of every successful build (ours, `npm test`'s or a manual one). */
function needsBuild(distDir: string): boolean {
  const buildId = path.join(root, distDir, 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

/** Fails before a long build when the dashboard port is taken (main.ts checks again when it binds). */
function portIsFree(host: string, port: number): boolean {
  if (port === 0) return true;
  const probe = spawnSync(
    process.execPath,
    ['-e', `require('net').createServer().once('error',()=>process.exit(1)).listen(${port},${JSON.stringify(host)},function(){this.close(()=>process.exit(0))})`],
    { stdio: 'ignore' },
  );
  return probe.status === 0;
}

const env = process.env as Record<string, string | undefined>;
const httpPort = Number(env.PORT || 3000);
const httpHost = env.HOST || '127.0.0.1';
if (Number.isInteger(httpPort) && !portIsFree(httpHost, httpPort)) {
  process.stderr.write(
    `subwatch: port ${httpPort} on ${httpHost} is already in use. Set PORT to another port (or stop what holds it).\n`,
  );
  process.exit(1);
}
env.NODE_ENV ??= 'production';
// No phoning home from a tool that runs next to production systems.
env.NEXT_TELEMETRY_DISABLED ??= '1';
if (env.NODE_ENV === 'production' && needsBuild(env.SUBWATCH_NEXT_DIST_DIR || '.next')) {
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
}

// Loaded only after the build above finished; CommonJS require keeps that order synchronous.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./main');
