import { EventStoreDBClient } from '@eventstore/db-client';
import { createEsdbServer, type EsdbServer } from '../create-esdb-server';

/** One in-process server per test file plus an official client on it (ephemeral port). */
export async function startServerWithClient(): Promise<{ server: EsdbServer; client: EventStoreDBClient }> {
  const server = await createEsdbServer({ port: 0 });
  return { server, client: EventStoreDBClient.connectionString(server.connectionString) };
}

/** Tolerates a start that failed half-way (afterAll still runs). */
export async function stopServerWithClient(parts: { server?: EsdbServer; client?: EventStoreDBClient }): Promise<void> {
  await parts.client?.dispose();
  await parts.server?.stop();
}
