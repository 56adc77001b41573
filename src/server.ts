/**
 * The Thrds server: one port for GraphQL over HTTP (GraphiQL in a browser),
 * SSE and WebSocket (graphql-ws), `/healthz`, and the web app at `/`.
 *
 *   mutations → command handlers → event store (group commit; inline projections)
 *   queries   → read models
 *   subscriptions ← the process's log feed ← commits
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { bearerToken, startSessionSweep } from './accounts/sessions.ts';
import { createGraphqlPostHandler, tooLarge } from './http/graphqlPost.ts';
import { configFromEnv, type ServerConfig } from './config.ts';
import { openThrds } from './openThrds.ts';
import { createServices } from './services.ts';
import { correlationIdFrom, createContext } from './schema/context.ts';
import { clientAddress } from './protection/clientAddress.ts';
import { schema } from './schema/index.ts';
import { maskError } from './schema/maskError.ts';
import { operationLimitsPlugin } from './protection/operationLimits.ts';
import { channelFor, startRedisNotifier } from './realtime/redisNotifier.ts';
import { attachGateway, chooseProtocol } from './realtime/wsGateway.ts';
import { ConnectionLimits } from './protection/connectionLimits.ts';
import { createWebHandler, ensureWebBuild } from './http/webApp.ts';
import { useFormCsrfPrevention } from './http/csrfPrevention.ts';
import { applyOriginPolicy } from './http/originPolicy.ts';
import { useRefusalStatus } from './http/refusalStatus.ts';
import { useRetryAfter } from './http/retryAfter.ts';
import { setApiSecurityHeaders } from './http/securityHeaders.ts';
import { refuseMalformedSearchParams } from './http/searchParams.ts';
import { createSseGuard, isStreamRequest } from './http/sseGuard.ts';

/** No operation a client sends needs more (a message body is at most 4,000 characters). */
const MAX_REQUEST_BYTES = 1024 * 1024;

export interface App {
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

export function buildApp(overrides: Partial<ServerConfig> = {}): App {
  const config: ServerConfig = { ...configFromEnv(), ...overrides };
  let stopping: Promise<void> | undefined;
  let running: { stop(): Promise<void> } | undefined;

  return {
    async start() {
      if (config.serveWeb) await ensureWebBuild();
      const web = config.serveWeb ? createWebHandler() : undefined;
      const thrds = await openThrds({ databaseUrl: config.databaseUrl, feed: { pollMs: config.pollMs } });
      // Counters shared by every instance; when Redis is down they fall back to this instance's memory.
      const rateLimitRedis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : undefined;
      rateLimitRedis?.on('error', () => {});
      await rateLimitRedis?.connect().catch(() => undefined);
      const services = createServices(thrds, config.protection, rateLimitRedis);
      const stopSessionSweep = startSessionSweep(services.sessions, services.clock);
      const notifier = config.redisUrl ? await startRedisNotifier(config.redisUrl, channelFor(thrds.db.displayUrl), thrds.store, thrds.feed, services.sessions).catch(redisUnavailable) : undefined;

      // One count for every long-lived connection (WebSocket and SSE): protection/connectionLimits.ts.
      const connectionLimits = new ConnectionLimits(config.protection);
      const sse = createSseGuard({ connections: connectionLimits, sendBufferLimit: config.wsSendBufferLimit, trustProxy: config.protection.trustProxy });

      const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }>({
        schema,
        graphqlEndpoint: '/graphql',
        // route() applies the origin policy (src/http/originPolicy.ts): yoga's CORS would echo any origin.
        cors: false,
        plugins: [useFormCsrfPrevention(), useRetryAfter(), useRefusalStatus(), sse.plugin, operationLimitsPlugin()],
        maskedErrors: { maskError },
        landingPage: false,
        logging: 'warn',
        // HTTP and SSE only: WebSocket operations get their context in the gateway.
        context: ({ request, req }) =>
          createContext(services, {
            token: bearerToken(request.headers.get('authorization')),
            correlationId: correlationIdFrom(request.headers.get('x-request-id'), randomUUID),
            clientAddress: clientAddress(req, config.protection.trustProxy),
          }),
      });

      // A body the fast path has read goes to yoga as a Fetch request; yoga's answer is written back.
      const toYoga = async (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
        const init: RequestInit = { method: req.method ?? 'POST', headers, ...(body ? { body: new Uint8Array(body) } : {}) };
        const response = await yoga.fetch(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/graphql'}`, init, { req, res });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      };
      const graphqlPost = createGraphqlPostHandler(schema, services, MAX_REQUEST_BYTES, (req, res, body) => {
        toYoga(req, res, body).catch((error: unknown) => {
          console.error('[thrds] request failed', error);
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      });

      const http = createServer((req, res) => route(req, res));
      const route = (req: IncomingMessage, res: ServerResponse) => {
        if (req.url === '/healthz') {
          const { connections, subscriptions, executions } = gateway.stats;
          const health = { status: 'ok', position: String(thrds.feed.head), connections, subscriptions, sharedExecutions: executions(), sseConnections: sse.stats.connections, sseSubscriptions: sse.stats.subscriptions };
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(health));
          return;
        }
        if (req.url?.startsWith('/graphql')) {
          setApiSecurityHeaders(req, res);
          if (applyOriginPolicy(req, res, config.protection.allowedOrigins)) return;
          if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
            tooLarge(res, MAX_REQUEST_BYTES);
            return;
          }
          if (refuseMalformedSearchParams(req, res)) return;
          if (isStreamRequest(req) && !sse.admit(req, res)) return;
          if (!graphqlPost(req, res)) void yoga.requestListener(req, res);
          return;
        }
        if (web?.(req, res)) return;
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end('Not found');
      };

      // noServer: the gateway's upgrade listener checks path, origin (403) and connection caps (429) first.
      const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, handleProtocols: chooseProtocol });
      const gateway = attachGateway(wss, schema, services, { sendBufferLimit: config.wsSendBufferLimit, connectionLimits });
      http.on('upgrade', gateway.upgrade);
      // A request node cannot parse (or a socket error before one): 400 and close; never a crash, never a stack trace.
      http.on('clientError', (error: NodeJS.ErrnoException, socket) => {
        if (error.code !== 'ECONNRESET' && socket.writable) socket.write('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        socket.destroy();
      });

      try {
        await new Promise<void>((resolve, reject) => {
          http.once('error', reject);
          http.listen(config.port, config.host, () => resolve());
        });
      } catch (error) {
        stopSessionSweep();
        gateway.close();
        rateLimitRedis?.disconnect();
        await notifier?.close();
        await thrds.close();
        throw error;
      }

      running = {
        async stop() {
          stopSessionSweep();
          // Stop accepting, let in-flight appends finish, then close sockets cleanly.
          const closed = new Promise<void>((resolve) => http.close(() => resolve()));
          await thrds.store.drain();
          gateway.close();
          for (const client of wss.clients) client.close(1001, 'server shutting down');
          await new Promise<void>((resolve) => wss.close(() => resolve()));
          http.closeIdleConnections();
          setTimeout(() => http.closeAllConnections(), 2000).unref();
          await closed;
          await notifier?.close();
          rateLimitRedis?.disconnect();
          await thrds.close();
        },
      };
      return { port: (http.address() as AddressInfo).port };
    },
    stop() {
      stopping ??= running ? running.stop() : Promise.resolve();
      return stopping;
    },
  };
}

/** Redis only speeds up fan-out across instances; without it they still find each other's events by polling. */
function redisUnavailable(error: unknown): undefined {
  console.warn(`[thrds] Redis unavailable (${error instanceof Error ? error.message : String(error)}): instances will find each other's events by polling the log`);
  return undefined;
}

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = buildApp(config);
  const { port } = await app.start();
  console.log(`Thrds listening on http://localhost:${port}/ (GraphQL at /graphql) with ${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')}`);
  const shutdown = (signal: string) => {
    console.log(`${signal}: finishing in-flight work and closing`);
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error('Thrds failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
