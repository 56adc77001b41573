/**
 * The WebSocket gateway on a real store and a real port, with its insides
 * in reach: the services (to revoke a session as the account commands do)
 * and the gateway's own counts (groups, which /healthz does not show).
 * Everything a test sends still goes through real sockets; mutations and
 * subscriptions run over the WebSocket itself.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { openThrds } from '../../../src/openThrds.ts';
import { createServices } from '../../../src/services.ts';
import type { ProtectionConfig } from '../../../src/protection/protectionConfig.ts';
import { createExecution } from '../../../src/graphql/execution.ts';
import { LiveRows } from '../../../src/realtime/liveRows.ts';
import { attachGateway, chooseProtocol, type Gateway, type GatewayOptions } from '../../../src/realtime/wsGateway.ts';
import type { Services } from '../../../src/schema/context.ts';
import { schema } from '../../../src/schema/index.ts';
import { createTestDatabase, type StoreKind } from '../../support/databases.ts';
import { relaxedProtection } from '../../support/protection.ts';
import { waitFor } from '../../support/waitFor.ts';
import { initialise, openRaw, type RawWebSocket } from './rawWebSocket.ts';

export interface GatewayHarness {
  readonly port: number;
  readonly services: Services;
  readonly gateway: Gateway;
  /** Its database, for a second instance writing to the same log. */
  readonly databaseUrl: string;
  /** The rows fan-out resolves against, as the server holds them. */
  readonly liveRows: LiveRows;
  /** A raw graphql-transport-ws client, acknowledged (signed in when given a token). */
  client(token?: string): Promise<RawWebSocket>;
  /** Runs one operation over a fresh socket and returns its `next` payload. */
  run(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  dispose(): Promise<void>;
}

export async function startGateway(kind: StoreKind, options: GatewayOptions & { protection?: ProtectionConfig; feedBufferSize?: number } = {}): Promise<GatewayHarness> {
  const database = await createTestDatabase(kind);
  const thrds = await openThrds({ databaseUrl: database.url, feed: { pollMs: 100, ...(options.feedBufferSize ? { bufferSize: options.feedBufferSize } : {}) } });
  const protection = options.protection ?? relaxedProtection();
  const services = createServices(thrds, protection);
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, handleProtocols: chooseProtocol });
  const liveRows = new LiveRows(thrds.db, thrds.feed);
  const gateway = attachGateway(wss, createExecution(schema, services, { liveRows }), options);
  http.on('upgrade', gateway.upgrade);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const sockets: RawWebSocket[] = [];

  const harness: GatewayHarness = {
    port,
    services,
    gateway,
    liveRows,
    databaseUrl: database.url,
    async client(token) {
      const ws = await openRaw(port);
      sockets.push(ws);
      await initialise(ws, token);
      return ws;
    },
    async run(query, variables = {}, token) {
      const ws = await harness.client(token);
      ws.sendJson({ id: 'run', type: 'subscribe', payload: { query, variables } });
      const reply = await ws.next((m) => m.id === 'run' && (m.type === 'next' || m.type === 'error'));
      ws.socket.destroy();
      await ws.ended;
      return reply.type === 'next' ? (reply.payload as any) : { errors: reply.payload as any };
    },
    async dispose() {
      for (const ws of sockets) ws.socket.destroy();
      gateway.close();
      liveRows.stop();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await thrds.close();
      await database.drop();
    },
  };
  return harness;
}

/** Resolves when `check` holds, polling a state that has no event to wait on (a count inside the server). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(check, { what, timeoutMs });
}
