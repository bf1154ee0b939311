import pino, { type Logger } from 'pino';

/**
 * JSON logs (pino); human-readable when a person watches the terminal and pino-pretty is installed.
 * Secrets are redacted wherever they may appear in log objects.
 */
export function createLogger(level: string, pretty: boolean): Logger {
  const redact = {
    paths: ['connectionString', '*.connectionString', 'headers.authorization', '*.headers.authorization', 'token', '*.token'],
    censor: '[redacted]',
  };
  if (pretty && canResolve('pino-pretty')) {
    return pino({
      level,
      redact,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  return pino({ level, redact });
}

function canResolve(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    // Not installed (production install without dev dependencies): plain JSON logs.
    return false;
  }
}

/** Replaces the password in an esdb:// connection string for display. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/^([a-z+]+:\/\/)([^:@/]+):([^@/]*)@/i, '$1$2:***@');
}
