/**
 * A loopback model: a real HTTP server on 127.0.0.1 (port 0) that speaks the
 * OpenAI Chat Completions API the way the bots' engine expects, with faults on
 * demand. Tests point THRDS_LLM_BASE_URL (or createOpenAiEngine) at `url`.
 *
 * API
 * ```ts
 * const model = await startLoopbackModel();            // or startLoopbackModel({ mode })
 * model.url                // 'http://127.0.0.1:<port>/v1'
 * model.requests           // RecordedRequest[]: each accepted POST /v1/chat/completions, in order
 * model.setMode({ kind: 'reply', text: 'Hi!', chunkSize: 2, chunkDelayMs: 20, firstByteDelayMs: 0 });
 * model.setMode({ kind: 'reply', text: (request) => `You said ${request.lastUserContent}` });
 * model.setMode({ kind: 'down' });                      // HTTP 500 JSON error (status: 503, 429, 401… too)
 * model.setMode({ kind: 'hang' });                      // accepts, never answers (close() still ends it)
 * model.setMode({ kind: 'garbage' });                   // 200 text/event-stream whose events are not chunks
 * model.setMode((index, request) => index === 0 ? { kind: 'down' } : { kind: 'reply', text: 'ok' });
 * model.queue({ kind: 'down' }, { kind: 'hang' });      // the next requests take these first, then the mode
 * model.openResponses      // responses not yet finished (a hang that the client aborted drops to 0)
 * await model.close();     // ends every response and socket, then the server
 * ```
 *
 * Modes (the default is `{ kind: 'reply', text: DEFAULT_REPLY }`, 8-character chunks, no delays):
 * - `reply`: a stream exactly as OpenAI sends it: a first chunk with `delta: { role: 'assistant',
 *   content: '' }`, then one chunk per `chunkSize` characters (code points), each `chunkDelayMs` apart,
 *   then a chunk with `delta: {}` and `finish_reason: 'stop'`, then `data: [DONE]`. `firstByteDelayMs`
 *   holds back even the status line. `dropAfterChunks: n` destroys the socket after n content chunks
 *   (a model that dies mid-reply). A request with `stream: false` gets one `chat.completion` JSON instead.
 * - `down`: `status` (default 500) with an OpenAI-style JSON error body, at once.
 * - `hang`: reads the request, never writes a byte.
 * - `garbage`: 200 `text/event-stream` carrying `body` (default: an event that is JSON but not a chunk,
 *   then one that is not JSON), then the connection ends, with no finish_reason and no [DONE].
 *
 * Only requests whose body is a JSON object with a string `model` and an array `messages` are recorded
 * and answered by the mode; anything else gets a 400 `invalid_request_error`, as a real server would.
 * `GET /v1/models` lists one model, `loopback`. Other paths: 404.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_REPLY = 'Hello from the loopback model.';
export const LOOPBACK_MODEL_ID = 'loopback';

export interface RecordedMessage {
  readonly role: string;
  readonly content: unknown;
  readonly name?: unknown;
}

/** A request body as the client sent it (only `model` and `messages` are checked). */
export interface RecordedBody {
  readonly model: string;
  readonly messages: readonly RecordedMessage[];
  readonly stream?: unknown;
  readonly max_tokens?: unknown;
  readonly [key: string]: unknown;
}

export interface RecordedRequest {
  /** 0 for the first chat completion request, 1 for the next… */
  readonly index: number;
  readonly receivedAt: number;
  /** Lower-case names, as node:http gives them (e.g. `authorization`). */
  readonly headers: IncomingHttpHeaders;
  readonly body: RecordedBody;
  /** The content of the last `user` message, when it is a string ('' otherwise): handy for echo replies. */
  readonly lastUserContent: string;
}

export type LoopbackMode =
  | {
      readonly kind: 'reply';
      readonly text: string | ((request: RecordedRequest) => string);
      /** Characters (code points) per content chunk; default 8. */
      readonly chunkSize?: number;
      readonly chunkDelayMs?: number;
      readonly firstByteDelayMs?: number;
      /** Destroy the socket after this many content chunks (no finish chunk, no [DONE]). */
      readonly dropAfterChunks?: number;
    }
  | { readonly kind: 'down'; readonly status?: number; readonly message?: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'garbage'; readonly body?: string };

export type ModeChoice = LoopbackMode | ((index: number, request: RecordedRequest) => LoopbackMode);

export interface LoopbackModel {
  /** Base URL ending in /v1 (what the OpenAI client takes as baseURL). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  setMode(mode: ModeChoice): void;
  /** Modes for the next requests, one each, before `setMode`'s mode applies again. */
  queue(...modes: LoopbackMode[]): void;
  /** Chat completion responses started and not yet finished or closed. */
  readonly openResponses: number;
  close(): Promise<void>;
}

const DEFAULT_MODE: LoopbackMode = { kind: 'reply', text: DEFAULT_REPLY };
const DEFAULT_GARBAGE = 'data: {"unexpected":true}\n\nthis is not server-sent events\n\ndata: {"id": "chatcmpl-broken", "choices": [\n\n';

export async function startLoopbackModel(options: { mode?: ModeChoice } = {}): Promise<LoopbackModel> {
  let mode: ModeChoice = options.mode ?? DEFAULT_MODE;
  const queued: LoopbackMode[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const open = new Set<ServerResponse>();
  // Ends every delay of every response at close(), so no timer outlives the server.
  const closing = new AbortController();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A delay cut short by close() or by the client going away: nothing more to write.
      if (closing.signal.aborted || res.destroyed) return;
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      await readBody(req);
      sendJson(res, 200, { object: 'list', data: [{ id: LOOPBACK_MODEL_ID, object: 'model', created: 0, owned_by: 'thrds-tests' }] });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      await readBody(req);
      sendError(res, 404, `Unknown request URL: ${req.method ?? '?'} ${path ?? '/'}`, 'invalid_request_error');
      return;
    }
    const body = parseRequestBody(await readBody(req));
    if (typeof body === 'string') {
      sendError(res, 400, body, 'invalid_request_error');
      return;
    }
    const request: RecordedRequest = {
      index: requests.length,
      receivedAt: Date.now(),
      headers: req.headers,
      body,
      lastUserContent: lastUserContent(body.messages),
    };
    requests.push(request);
    const chosen = queued.shift() ?? (typeof mode === 'function' ? mode(request.index, request) : mode);
    open.add(res);
    res.on('close', () => open.delete(res));
    await answer(chosen, request, res);
  }

  async function answer(chosen: LoopbackMode, request: RecordedRequest, res: ServerResponse): Promise<void> {
    switch (chosen.kind) {
      case 'down':
        sendError(res, chosen.status ?? 500, chosen.message ?? 'The loopback model is down.', chosen.status === 429 ? 'rate_limit_exceeded' : 'server_error');
        return;
      case 'hang':
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.end(chosen.body ?? DEFAULT_GARBAGE);
        return;
      case 'reply':
        await reply(chosen, request, res);
        return;
      default: {
        const never: never = chosen;
        throw new Error(`Unknown loopback mode ${JSON.stringify(never)}`);
      }
    }
  }

  async function reply(chosen: Extract<LoopbackMode, { kind: 'reply' }>, request: RecordedRequest, res: ServerResponse): Promise<void> {
    const signal = AbortSignal.any([closing.signal, responseClosed(res)]);
    const text = typeof chosen.text === 'function' ? chosen.text(request) : chosen.text;
    const id = `chatcmpl-loopback-${request.index}`;
    const created = Math.floor(request.receivedAt / 1000);
    const model = request.body.model;
    if ((chosen.firstByteDelayMs ?? 0) > 0) await sleep(chosen.firstByteDelayMs, undefined, { signal });
    if (request.body.stream !== true) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      });
      return;
    }
    const chunk = (delta: Record<string, string>, finishReason: string | null): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    await send(res, chunk({ role: 'assistant', content: '' }, null));
    const pieces = splitText(text, Math.max(1, chosen.chunkSize ?? 8));
    for (const [n, piece] of pieces.entries()) {
      if (n > 0 && (chosen.chunkDelayMs ?? 0) > 0) await sleep(chosen.chunkDelayMs, undefined, { signal });
      if (chosen.dropAfterChunks !== undefined && n >= chosen.dropAfterChunks) {
        res.destroy();
        return;
      }
      await send(res, chunk({ content: piece }, null));
    }
    if (chosen.dropAfterChunks !== undefined) {
      // Fewer chunks than the drop point: the model still dies before finishing.
      res.destroy();
      return;
    }
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setMode(next) {
      mode = next;
    },
    queue(...modes) {
      queued.push(...modes);
    },
    get openResponses() {
      return open.size;
    },
    async close() {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const res of open) res.destroy();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function responseClosed(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  return controller.signal;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** The body as a RecordedBody, or why it is refused. */
function parseRequestBody(raw: string): RecordedBody | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return 'The request body is not valid JSON.';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'The request body must be a JSON object.';
  const body = parsed as Record<string, unknown>;
  if (typeof body.model !== 'string') return "'model' is a required string.";
  if (!Array.isArray(body.messages) || !body.messages.every((m) => typeof m === 'object' && m !== null && typeof (m as { role?: unknown }).role === 'string')) {
    return "'messages' must be an array of objects with a 'role'.";
  }
  return body as RecordedBody;
}

function lastUserContent(messages: readonly RecordedMessage[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
}

function splitText(text: string, size: number): string[] {
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(''));
  return pieces;
}

/** Writes and waits until the bytes are handed to the socket, so a drop that follows happens after them. */
function send(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve, reject) => res.write(data, (error) => (error ? reject(error) : resolve())));
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function sendError(res: ServerResponse, status: number, message: string, type: string): void {
  sendJson(res, status, { error: { message, type, param: null, code: null } });
}
