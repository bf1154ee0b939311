/**
 * Process entry: config → runtime (embedded server, stores, subscribers, monitor) → Next →
 * HTTP listen → signals. The only module that reads process.env (through parseConfig).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import next from 'next';
import type { SubwatchConfigFile } from '../lib/config/proxies-schema';
import { ConfigError, parseConfig, type Config } from '../lib/config/schema';
import { CLIENT_ADDRESS_HEADER } from '../lib/http/client-address';
import { createLogger, redactConnectionString } from './logger';
import { publishRuntime } from './registry';
import { createRuntime, DEMO_GROUP, DEMO_STREAM } from './runtime';
import { loadSubwatchConfigFile } from './load-config-file';
import { FRAUD_CHECK_GROUP } from './demo/fraud-check';
import { createShutdownManager } from './shutdown';

async function main(): Promise<void> {
  let config: Config;
  let configFile: SubwatchConfigFile | undefined;
  try {
    config = parseConfig(process.env);
    // Before anything starts: a bad file fails at boot with every problem listed.
    configFile = loadSubwatchConfigFile(config.configFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`subwatch: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger(config.logLevel, process.stdout.isTTY === true);
  const shutdown = createShutdownManager(logger);
  let exitCode = 0;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      // A second Ctrl+C means "now": unacked events are redelivered and suppressed on restart.
      logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(1);
    }
    void shutdown.shutdown(signal).finally(() => process.exit(exitCode));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  // Bind the dashboard port first: a port conflict fails in milliseconds, before anything starts.
  let handle: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | undefined = undefined;
  const server = http.createServer((req, res) => {
    if (!handle) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' });
      res.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'subwatch is starting' } }));
      return;
    }
    // The peer address for per-client rate limits; overwrites any value the client sent.
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? 'unknown';
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, 'request handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal server error' } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  shutdown.register('http server', async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Live streams (SSE) never go idle: end them so close() can finish.
    setTimeout(() => server.closeAllConnections(), 1000).unref();
    await closed;
  });

  const runtime = await createRuntime(config, logger, { configFile: configFile ?? null });
  shutdown.register('runtime', runtime.stop);
  publishRuntime(runtime.service);
  shutdown.register('registry', () => publishRuntime(undefined));

  const app = next({ dev: config.dev, dir: path.join(__dirname, '..'), hostname: config.http.host, port: config.http.port });
  await app.prepare();
  handle = app.getRequestHandler();

  const { port } = server.address() as AddressInfo;
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const source = runtime.embedded
    ? `embedded server at ${runtime.connectionString}${config.demo.enabled ? ` (demo traffic on ${DEMO_STREAM}; groups ${DEMO_GROUP} and ${FRAUD_CHECK_GROUP})` : ''}`
    : redactConnectionString(runtime.connectionString);
  logger.info({ url: base, embedded: runtime.embedded, demo: config.demo.enabled }, 'subwatch listening');
  process.stdout.write(
    [
      '',
      '  subwatch is running',
      `  Dashboard:     ${base}/`,
      `  Log in:        ${base}/login#token=${encodeURIComponent(runtime.adminToken)}`,
      `  EventStoreDB:  ${source}`,
      config.auth.token ? '' : '  (random admin token for this run; set SUBWATCH_ADMIN_TOKEN to keep one)',
      '',
    ].join('\n') + '\n',
  );

  exitCode = 0;
}

main().catch((error: unknown) => {
  const err = error as NodeJS.ErrnoException & { port?: number };
  if (err?.code === 'EADDRINUSE') {
    process.stderr.write(
      `subwatch: port ${err.port ?? ''} is already in use (${err.message}). Set PORT (dashboard) or EMBEDDED_ESDB_PORT (embedded server; 0 = any free port).\n`,
    );
  } else {
    process.stderr.write(`subwatch: failed to start: ${err?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
