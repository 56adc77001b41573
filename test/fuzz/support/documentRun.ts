/**
 * Sends one GraphQL fuzz case over its transport and checks the answer: no
 * 5xx, JSON where JSON is announced, every error with `extensions.code`, no
 * INTERNAL_SERVER_ERROR, no WebSocket closed as an internal error, and no
 * answer larger than THRDS_FUZZ_MAX_RESPONSE_BYTES (4 MiB) to a request
 * under 1 MiB.
 */
import WebSocket from 'ws';
import { checkCloseCode, checkResult, checkWsMessages } from './answerChecks.ts';
import type { DocumentCase } from './documentCases.ts';
import type { CaseOutcome, Violation } from './fuzzRunner.ts';
import type { FuzzServer } from './fuzzServer.ts';

export interface Fixture {
  readonly threadId: string;
  readonly messageId: string;
  readonly position: string;
  readonly token: string;
}

const MAX_REQUEST_BYTES = 1024 * 1024;
const maxResponseBytes = Number(process.env.THRDS_FUZZ_MAX_RESPONSE_BYTES || 4 * 1024 * 1024);

function fill(text: string, fixture: Fixture): string {
  return text.replaceAll('%THREAD%', fixture.threadId).replaceAll('%MESSAGE%', fixture.messageId).replaceAll('%POSITION%', fixture.position);
}

function tooLarge(bytes: number, requestBytes: number, where: string): Violation[] {
  if (bytes <= maxResponseBytes || requestBytes > MAX_REQUEST_BYTES) return [];
  return [{ kind: 'response too large', detail: `${where}: ${bytes} bytes answered a ${requestBytes}-byte request` }];
}

function checkJsonBody(text: string, contentType: string, status: number, where: string): Violation[] {
  if (status >= 500) return [{ kind: 'HTTP 5xx', detail: `${where} answered ${status}: ${text.slice(0, 200)}` }];
  if (!/json/.test(contentType)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [{ kind: 'invalid JSON answer', detail: `${where} ${status} ${contentType}: ${text.slice(0, 200)}` }];
  }
  return checkResult(parsed, `${where} ${status}`);
}

async function fetchChecked(url: string, init: RequestInit, requestBytes: number, where: string): Promise<CaseOutcome> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    // Over 1 MiB the server may answer 413 and close before the body is sent: not a fault.
    if (requestBytes > MAX_REQUEST_BYTES) return { violations: [] };
    return { violations: [{ kind: 'request failed', detail: `${where}: ${String((error as Error).cause ?? error)}` }], abrupt: true };
  }
  const text = await response.text().catch(() => '');
  const contentType = response.headers.get('content-type') ?? '';
  return {
    violations: [...checkJsonBody(text, contentType, response.status, where), ...tooLarge(Buffer.byteLength(text), requestBytes, where)],
  };
}

function headersFor(c: DocumentCase, fixture: Fixture, accept: string): Record<string, string> {
  const extra = Object.fromEntries(Object.entries(c.extraHeaders ?? {}).map(([name, value]) => [name, fill(value, fixture)]));
  return { accept, ...(c.auth ? { authorization: `Bearer ${fixture.token}` } : {}), ...extra };
}

async function sse(url: string, c: DocumentCase, body: string, fixture: Fixture): Promise<CaseOutcome> {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 15_000);
  const violations: Violation[] = [];
  try {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headersFor(c, fixture, 'text/event-stream') }, signal: controller.signal });
    } catch (error) {
      if (Buffer.byteLength(body) > MAX_REQUEST_BYTES) return { violations: [] };
      return { violations: [{ kind: 'request failed', detail: `SSE: ${String((error as Error).cause ?? error)}` }], abrupt: true };
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream') || !response.body) {
      const text = await response.text().catch(() => '');
      return { violations: [...checkJsonBody(text, contentType, response.status, 'SSE'), ...tooLarge(Buffer.byteLength(text), Buffer.byteLength(body), 'SSE')] };
    }
    if (response.status >= 500) violations.push({ kind: 'HTTP 5xx', detail: `SSE answered ${response.status}` });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let bytes = 0;
    let complete = false;
    // A live subscription never ends: read until it completes or goes quiet for 300 ms.
    while (!complete) {
      let idle: NodeJS.Timeout | undefined;
      const quiet = new Promise<'quiet'>((resolve) => {
        idle = setTimeout(() => resolve('quiet'), 300);
      });
      const next = await Promise.race([reader.read(), quiet]).finally(() => clearTimeout(idle));
      if (next === 'quiet' || next.done) break;
      bytes += next.value.byteLength;
      buffered += decoder.decode(next.value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.replace(/^data: ?/, ''))
          .join('\n');
        if (event === 'complete') complete = true;
        else if (data !== '') {
          try {
            violations.push(...checkResult(JSON.parse(data), 'SSE next'));
          } catch {
            violations.push({ kind: 'invalid JSON answer', detail: `SSE data: ${data.slice(0, 200)}` });
          }
        }
      }
      if (bytes > maxResponseBytes) {
        violations.push(...tooLarge(bytes, Buffer.byteLength(body), 'SSE'));
        break;
      }
    }
    await reader.cancel().catch(() => undefined);
    return { violations: violations.slice(0, 4) };
  } finally {
    clearTimeout(deadline);
    controller.abort();
  }
}

async function overWebSocket(server: FuzzServer, c: DocumentCase, payload: unknown, fixture: Fixture): Promise<CaseOutcome> {
  const authorization = c.auth ? `Bearer ${fixture.token}` : c.extraHeaders?.authorization;
  const socket = new WebSocket(`ws://127.0.0.1:${server.portNumber}/graphql`, 'graphql-transport-ws');
  const messages: unknown[] = [];
  let bytes = 0;
  let closed: { code: number; reason: string } | undefined;
  let failed: Error | undefined;
  let changed = () => {};
  socket.on('message', (data: Buffer) => {
    bytes += data.length;
    try {
      messages.push(JSON.parse(data.toString('utf8')));
    } catch {
      messages.push(data.toString('utf8'));
    }
    changed();
  });
  socket.on('open', () => changed());
  socket.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
    changed();
  });
  socket.on('error', (error) => {
    failed = error;
    changed();
  });
  const until = (check: () => boolean, ms: number) =>
    new Promise<boolean>((resolve) => {
      if (check()) return resolve(true);
      const timer = setTimeout(() => resolve(check()), ms);
      changed = () => {
        if (check()) {
          clearTimeout(timer);
          resolve(true);
        }
      };
    });
  const typeOf = (m: unknown) => (m as { type?: unknown } | null)?.type;
  try {
    await until(() => socket.readyState === WebSocket.OPEN || closed !== undefined || failed !== undefined, 5000);
    if (socket.readyState !== WebSocket.OPEN) {
      if (closed) return { violations: checkCloseCode(closed.code, closed.reason, 'WebSocket') };
      return { violations: [{ kind: 'request failed', detail: `WebSocket: ${String(failed ?? 'did not open')}` }], abrupt: true };
    }
    socket.send(JSON.stringify({ type: 'connection_init', payload: authorization ? { authorization } : {} }));
    await until(() => messages.some((m) => typeOf(m) === 'connection_ack') || closed !== undefined, 5000);
    const subscribe = JSON.stringify({ id: '1', type: 'subscribe', payload });
    if (!closed) socket.send(subscribe);
    // Queries answer and complete; a live subscription is stopped once it goes quiet.
    const afterAck = messages.length;
    while (!closed && !messages.some((m) => typeOf(m) === 'complete' || typeOf(m) === 'error') && bytes <= maxResponseBytes) {
      const seen = messages.length;
      const more = await until(() => closed !== undefined || messages.length > seen, seen > afterAck ? 300 : 10_000);
      if (!more) break;
    }
    const violations = [...checkWsMessages(messages, 'WebSocket'), ...(closed ? checkCloseCode(closed.code, closed.reason, 'WebSocket') : []), ...tooLarge(bytes, Buffer.byteLength(subscribe), 'WebSocket')];
    return { violations, abrupt: closed?.code === 1006 };
  } finally {
    socket.terminate();
  }
}

export async function runDocumentCase(c: DocumentCase, server: FuzzServer, fixture: Fixture): Promise<CaseOutcome> {
  const url = `${server.baseUrl}/graphql`;
  if (c.raw !== undefined) {
    const body = fill(c.raw, fixture);
    const headers = { ...(c.contentType ? { 'content-type': c.contentType } : {}), ...headersFor(c, fixture, 'application/graphql-response+json, application/json') };
    return fetchChecked(url, { method: 'POST', body, headers }, Buffer.byteLength(body), 'POST');
  }
  if (c.rawGet !== undefined) {
    return fetchChecked(`${url}?${c.rawGet}`, { headers: headersFor(c, fixture, 'application/graphql-response+json, application/json') }, c.rawGet.length, 'GET');
  }
  const body = fill(JSON.stringify(c.request), fixture);
  const request = JSON.parse(body) as DocumentCase['request'];
  let transport = c.transport;
  const params = new URLSearchParams();
  if (transport === 'get') {
    for (const [name, value] of Object.entries(request)) if (value !== undefined) params.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    if (params.toString().length > 60_000) transport = 'post';
  }
  switch (transport) {
    case 'get':
      return fetchChecked(`${url}?${params.toString()}`, { headers: headersFor(c, fixture, 'application/graphql-response+json, application/json') }, params.toString().length, 'GET');
    case 'sse':
      return sse(url, c, body, fixture);
    case 'ws':
      return overWebSocket(server, c, request, fixture);
    default:
      return fetchChecked(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headersFor(c, fixture, 'application/graphql-response+json, application/json') } }, Buffer.byteLength(body), 'POST');
  }
}
