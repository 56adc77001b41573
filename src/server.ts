/**
 * The Thrds server: one port for GraphQL over HTTP (GraphiQL in a browser),
 * SSE and WebSocket (graphql-ws), `/healthz`, and the web app at `/`.
 *
 *   mutations → command handlers → event store (group commit; inline projections)
 *   queries   → read models
 *   subscriptions ← the process's log feed ← commits
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { startSessionSweep } from './accounts/sessions.ts';
import { createGraphqlPostHandler, tooLarge } from './http/graphqlPost.ts';
import { configFromEnv, type ServerConfig } from './config.ts';
import { openThrds, type Thrds } from './openThrds.ts';
import { redactedUrl } from './db/openDatabase.ts';
import { outageReason } from './db/unavailable.ts';
import { createServices } from './services.ts';
import type { Services } from './schema/context.ts';
import { schema } from './schema/index.ts';
import { reportUnexpected } from './graphql/errorPolicy.ts';
import { createExecution } from './graphql/execution.ts';
import { LiveRows } from './realtime/liveRows.ts';
import { maskError } from './graphql/maskError.ts';
import { requestFacts } from './graphql/requestFacts.ts';
import { useOperationCache } from './graphql/yogaOperations.ts';
import { channelFor, startRedisNotifier } from './realtime/redisNotifier.ts';
import { attachGateway, chooseProtocol } from './realtime/wsGateway.ts';
import { refuseUpgrade } from './realtime/wsUpgrade.ts';
import { ConnectionLimits } from './protection/connectionLimits.ts';
import { createWebHandler, ensureWebBuild } from './http/webApp.ts';
import { useFormCsrfPrevention } from './http/csrfPrevention.ts';
import { applyOriginPolicy } from './http/originPolicy.ts';
import { useRefusalStatus } from './http/refusalStatus.ts';
import { useRetryAfter } from './http/retryAfter.ts';
import { setApiSecurityHeaders } from './http/securityHeaders.ts';
import { refuseMalformedSearchParams } from './http/searchParams.ts';
import { createSseGuard, isStreamRequest } from './http/sseGuard.ts';
import { serveGraphiqlAsset } from './http/graphiqlAssets.ts';
import { serveScalarSpec } from './http/scalarSpecs.ts';
import { graphiqlPage } from './http/graphiqlPage.ts';
import { closeWebSockets, InFlight } from './lifecycle/drain.ts';
import { Readiness } from './lifecycle/readiness.ts';
import { dependencyLog } from './observability/dependencyLog.ts';
import { observeRequest } from './observability/httpLog.ts';
import { log } from './observability/log.ts';
import { createMetrics } from './observability/metrics.ts';
import { useReadRouting } from './graphql/useReadRouting.ts';
import { registerPresenceMetrics } from './presence/presenceMetrics.ts';
import { isMetricsRequest, serveMetrics } from './observability/metricsRoute.ts';
import { REQUEST_ID_HEADER, requestIdOf } from './observability/requestId.ts';
import { useErrorLog, yogaLogger } from './observability/yogaLogging.ts';
import { createAttachments } from './attachments/attachments.ts';
import { registerAttachmentMetrics } from './attachments/attachmentMetrics.ts';
import { handleFileRequest, isFilesRequest } from './attachments/fileRoute.ts';
import { isMultipart, multipartLimit, readUploadBody, refuseBusy, uploadFetchApi, uploadSlots, useUploadsOnlyInMultipart } from './attachments/multipartUploads.ts';
import { DEFAULT_MAX_CONCURRENT_UPLOADS } from './attachments/uploadSettings.ts';
import { startAttachmentSweep } from './attachments/sweep.ts';
import { registerBotMetrics } from './bots/botMetrics.ts';
import { startBots, type Bots } from './bots/botReactor.ts';
import { loadBotsDir } from './bots/botsDir.ts';
import { withoutCredentials } from './bots/llmSettings.ts';
import { createOpenAiEngine } from './bots/openaiEngine.ts';

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
      const thrds = await openThrds({
        databaseUrl: config.databaseUrl,
        ...(config.readDatabaseUrl ? { readDatabaseUrl: config.readDatabaseUrl, replicaWaitMs: config.replicaWaitMs } : {}),
        dbTimeoutMs: config.dbTimeoutMs,
        store: { maxQueue: config.appendQueueLimit },
        feed: { pollMs: config.pollMs },
      });
      const readiness = new Readiness(thrds.db, thrds.store, thrds.feed, thrds.replica ? { replica: thrds.replica } : {});
      const inFlight = new InFlight();
      const maxUploads = config.uploads.maxConcurrentUploads ?? DEFAULT_MAX_CONCURRENT_UPLOADS;
      // Counters shared by every instance; when Redis is down they fall back to this instance's memory.
      const rateLimitRedis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : undefined;
      const rateLimitLog = dependencyLog('redis').part('rate limits');
      rateLimitRedis?.on('error', (error: Error) => rateLimitLog.failed(error)).on('ready', () => rateLimitLog.ok());
      await rateLimitRedis?.connect().catch(() => undefined);
      const services = createServices(thrds, config.protection, rateLimitRedis, config.redisUrl, createAttachments(config.uploads));
      const uploads = uploadSlots(maxUploads, services.attachments.stats);
      const stopSessionSweep = startSessionSweep(services.sessions, services.clock);
      const stopAttachmentSweep = startAttachmentSweep(thrds.db, services.attachments, services.clock);
      const bots = await startCompanion(config, thrds, services);
      const notifier = config.redisUrl ? await startRedisNotifier(config.redisUrl, channelFor(thrds.db.displayUrl), thrds.store, thrds.feed, services.sessions).catch(redisUnavailable) : undefined;

      // One count for every long-lived connection (WebSocket and SSE): protection/connectionLimits.ts.
      const connectionLimits = new ConnectionLimits(config.protection);
      const sse = createSseGuard({ connections: connectionLimits, sendBufferLimit: config.wsSendBufferLimit, trustProxy: config.protection.trustProxy });

      // The one execute path (src/graphql/): the fast path and the gateway execute through it; yoga shares its
      // operation cache (and so the limits), its context factory and its error policy.
      // Fan-out resolves events against rows the feed keeps current: no read per delivered event.
      const liveRows = new LiveRows(thrds.db, thrds.feed);
      const execution = createExecution(schema, services, { liveRows });
      const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }>({
        schema,
        graphqlEndpoint: '/graphql',
        // route() applies the origin policy (src/http/originPolicy.ts): yoga's CORS would echo any origin.
        cors: false,
        plugins: [useErrorLog(), useFormCsrfPrevention(), useUploadsOnlyInMultipart(), useRetryAfter(), useRefusalStatus(), sse.plugin, useOperationCache(execution.operations), useReadRouting(services)],
        // Multipart (uploadAttachment) is parsed with limits: one file, small fields (attachments/multipartUploads.ts).
        fetchAPI: uploadFetchApi(config.uploads),
        // Parsed and validated once for every door, in execution.operations.
        parserAndValidationCache: false,
        maskedErrors: { maskError },
        landingPage: false,
        // GraphiQL with its assets from this server (http/graphiqlAssets.ts), not a CDN: it works offline.
        renderGraphiQL: graphiqlPage,
        // Errors are logged by useErrorLog with the request's id; yoga's logger skips those (observability/yogaLogging.ts).
        logging: yogaLogger(),
        context: ({ req }) => execution.context(requestFacts(req, config.protection.trustProxy)),
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
      const answerByYoga = (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) => {
        toYoga(req, res, body).catch((error: unknown) => {
          reportUnexpected(error, requestIdOf(req));
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      };
      const graphqlPost = createGraphqlPostHandler(execution, MAX_REQUEST_BYTES, answerByYoga);

      const http = createServer((req, res) => route(req, res));
      const route = (req: IncomingMessage, res: ServerResponse) => {
        // Before anything can answer: every response carries the request's id, and is counted (observability/).
        const requestId = requestIdOf(req);
        res.setHeader(REQUEST_ID_HEADER, requestId);
        observeRequest(req, res, requestId, metrics);
        if (isMetricsRequest(req)) {
          serveMetrics(req, res, metrics, config.metricsToken);
          return;
        }
        inFlight.arrived();
        // Draining: answer, then close, so the client's next request goes to another instance.
        if (readiness.isDraining) res.setHeader('connection', 'close');
        if (req.url === '/readyz') {
          void readiness.report().then((report) => {
            res.writeHead(report.status === 'ready' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(report));
          });
          return;
        }
        if (req.url === '/healthz') {
          const { connections, subscriptions, executions } = gateway.stats;
          const health = { status: 'ok', position: String(thrds.feed.head), connections, subscriptions, sharedExecutions: executions(), sseConnections: sse.stats.connections, sseSubscriptions: sse.stats.subscriptions };
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(health));
          return;
        }
        if (serveGraphiqlAsset(req, res)) return;
        if (req.url?.startsWith('/graphql')) {
          setApiSecurityHeaders(req, res);
          if (applyOriginPolicy(req, res, config.protection.allowedOrigins)) return;
          // A multipart body (an upload) is capped by THRDS_MAX_UPLOAD_BYTES instead, below.
          if (!isMultipart(req) && Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
            tooLarge(res, MAX_REQUEST_BYTES);
            return;
          }
          if (refuseMalformedSearchParams(req, res)) return;
          if (req.method === 'POST' && isMultipart(req)) {
            if (!uploads.take(res)) {
              services.attachments.stats.uploads.busy += 1;
              log.warn({ requestId, maxConcurrentUploads: maxUploads }, 'upload refused: the server is taking as many uploads as it may at once');
              refuseBusy(req, res, maxUploads, multipartLimit(config.uploads));
              return;
            }
            inFlight.track(res, false);
            readUploadBody(req, res, multipartLimit(config.uploads), (body) => answerByYoga(req, res, body));
            return;
          }
          const stream = isStreamRequest(req);
          if (stream && !sse.admit(req, res)) return;
          inFlight.track(res, stream);
          if (!graphqlPost(req, res)) void yoga.requestListener(req, res);
          return;
        }
        if (isFilesRequest(req)) {
          inFlight.track(res, false);
          handleFileRequest(req, res, thrds.db, services.attachments, (error) => reportUnexpected(error, requestId));
          return;
        }
        if (serveScalarSpec(req, res)) return;
        if (web?.(req, res)) return;
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end('Not found');
      };

      // noServer: the gateway's upgrade listener checks path, origin (403) and connection caps (429) first.
      const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, handleProtocols: chooseProtocol });
      const gateway = attachGateway(wss, execution, { sendBufferLimit: config.wsSendBufferLimit, connectionLimits });
      const metrics = createMetrics({
        store: thrds.store,
        feed: thrds.feed,
        websocket: gateway.stats,
        sse: sse.stats,
        rateLimits: services.rateLimits,
        pool: () => thrds.db.poolStats(),
        ...(thrds.replica ? { replica: thrds.replica } : {}),
        threadUpdates: () => services.threadUpdates.stats,
        ...(config.redisUrl ? { redisConnected: () => (notifier?.connected ?? false) && rateLimitRedis?.status === 'ready' } : {}),
      });
      registerPresenceMetrics(metrics.registry, services.presence);
      registerAttachmentMetrics(metrics.registry, services.attachments.stats);
      if (bots) registerBotMetrics(metrics.registry, bots);
      const refuseWhileDraining = (req: IncomingMessage, socket: Duplex) =>
        refuseUpgrade(socket, 503, 'The server is shutting down; connect again', { 'Retry-After': '1', 'X-Request-Id': requestIdOf(req) });
      http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => (readiness.isDraining ? refuseWhileDraining(req, socket) : gateway.upgrade(req, socket, head)));
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
        stopAttachmentSweep();
        await bots?.stop();
        gateway.close();
        rateLimitRedis?.disconnect();
        await notifier?.close();
        await services.threadUpdates.close();
        await Promise.all([services.presence.close(), services.typing.close(), services.botDrafts.close()]);
        await thrds.close();
        throw error;
      }

      running = {
        /** The drain (lifecycle/drain.ts): bounded by THRDS_DRAIN_MS, whatever the clients and the database do. */
        async stop() {
          const started = Date.now();
          const deadline = started + config.drainMs;
          // Appends are taken while there is still time to finish one within the drain.
          const writesUntil = started + Math.max(0, config.drainMs - config.dbTimeoutMs - 1000);
          readiness.startDraining();
          stopSessionSweep();
          stopAttachmentSweep();
          // A reply being written is dropped: the bot's checkpoint is before its call, so the next holder answers it once.
          await bots?.stop();
          gateway.close();
          const closeIdle = () => http.closeIdleConnections();
          closeIdle();
          // Still listening while clients keep coming (a load balancer learns from /readyz and stops
          // sending), answering each with Connection: close; then no more connections.
          while (Date.now() < writesUntil && Date.now() - inFlight.lastArrival < config.drainQuietMs) {
            await new Promise((resolve) => setTimeout(resolve, 25));
            closeIdle();
          }
          const closed = new Promise<void>((resolve) => http.close(() => resolve()));
          closeIdle();
          await inFlight.settled(writesUntil, closeIdle);
          thrds.store.stopAccepting();
          await inFlight.settled(deadline, closeIdle);
          // Whatever is still being committed commits (or fails) within its own deadline, and is answered.
          await thrds.store.drain();
          await inFlight.settled(Math.max(deadline, Date.now() + 500), closeIdle);
          inFlight.endStreams();
          await closeWebSockets(wss, Math.max(deadline, Date.now() + 500));
          await new Promise<void>((resolve) => wss.close(() => resolve()));
          http.closeAllConnections();
          await closed;
          await notifier?.close();
          await services.threadUpdates.close();
          // Presence says goodbye (its part leaves Redis at once); typing stops listening to the feed.
          await Promise.all([services.presence.close(), services.typing.close(), services.botDrafts.close()]);
          metrics.close();
          liveRows.stop();
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
  log.warn({ dependency: 'redis' }, `Redis unavailable (${error instanceof Error ? error.message : String(error)}): instances will find each other's events by polling the log`);
  return undefined;
}

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = buildApp(config);
  const { port } = await app.start();
  log.info({ port, database: redactedUrl(config.databaseUrl), bots: botsStatus(config) }, `Thrds listening on http://localhost:${port}/ (GraphQL at /graphql)`);
  const shutdown = (signal: string) => {
    log.info({ signal }, `${signal}: finishing in-flight work and closing`);
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.fatal({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** Why the server could not start, in one line an operator can act on. */
export function startFailure(error: unknown, config: Pick<ServerConfig, 'port' | 'host' | 'databaseUrl'>): string {
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  const database = redactedUrl(config.databaseUrl);
  if (code === 'EADDRINUSE') return `Thrds cannot start: port ${config.port} on ${config.host} is already in use (another server?); stop it or set PORT`;
  if (code === 'EACCES' && /listen/.test(detail)) return `Thrds cannot start: not allowed to listen on port ${config.port}; choose a port above 1023 with PORT`;
  if (outageReason(error) !== undefined) return `Thrds cannot start: the database at ${database} is unavailable (${detail.split('\n')[0]}); check that it runs and DATABASE_URL`;
  return `Thrds cannot start: ${detail.split('\n')[0]}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    let config: Pick<ServerConfig, 'port' | 'host' | 'databaseUrl'> = { port: Number(process.env.PORT ?? 4000), host: process.env.HOST ?? '0.0.0.0', databaseUrl: process.env.DATABASE_URL ?? '' };
    try {
      config = configFromEnv();
    } catch {
      // The configuration itself was the problem: the message says which variable.
    }
    process.stderr.write(`${startFailure(error, config)}\n`);
    process.exit(1);
  });
}

/**
 * The companion (issue 15): THRDS_BOTS_DIR's cards are added or updated, then, when a model is
 * configured, this process runs the bots whose lease it can take. Without THRDS_LLM_BASE_URL bots
 * are off: the start line says so, and why.
 */
async function startCompanion(config: ServerConfig, thrds: Thrds, services: Services): Promise<Bots | undefined> {
  if (config.botsDir) {
    const loaded = await loadBotsDir(services, config.botsDir);
    log.info({ dir: config.botsDir, added: loaded.added, updated: loaded.updated, unchanged: loaded.unchanged.length, refused: loaded.refused.length }, 'bots dir read');
  }
  if ('off' in config.llm) return undefined;
  return startBots({ thrds, services, settings: config.bots, engine: createOpenAiEngine(config.llm) });
}

/** For the start line: whether bots answer, through what, or why not (never the key). */
function botsStatus(config: ServerConfig): string {
  return 'off' in config.llm ? `off: ${config.llm.off}` : `on: ${config.llm.model} at ${withoutCredentials(config.llm.baseUrl)}`;
}
