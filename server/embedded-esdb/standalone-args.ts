import { parseArgs } from 'node:util';

const USAGE = 'usage: npm run esdb -- [--port <0-65535>] [--host <address>] [--data-dir <directory>] [--tls-cert <pem> --tls-key <pem>]';

export interface StandaloneOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string | undefined;
  /** PEM file paths; both or neither. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
}

/** @throws Error listing every problem with the arguments (and the usage line). */
export function parseStandaloneArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): StandaloneOptions {
  let values: { port?: string; host?: string; 'data-dir'?: string; 'tls-cert'?: string; 'tls-key'?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`, { cause: error });
  }
  const problems: string[] = [];
  const rawPort = values.port ?? env.EMBEDDED_ESDB_PORT ?? '2113';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) problems.push(`port must be an integer from 0 to 65535, got "${rawPort}".`);
  const host = values.host ?? '127.0.0.1';
  if (host === '') problems.push('--host must not be empty.');
  const dataDir = values['data-dir'];
  if (dataDir === '') problems.push('--data-dir must not be empty.');
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined) || certFile === '' || keyFile === '') {
    problems.push('--tls-cert and --tls-key go together (PEM certificate chain and private key).');
  }
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${USAGE}`);
  return { host, port, dataDir, tls: certFile && keyFile ? { certFile, keyFile } : undefined };
}
