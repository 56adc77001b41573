/**
 * Structured logs: JSON lines with time, level, msg and the request id on
 * every line of a request; LOG_LEVEL honoured; pretty on a terminal. A
 * refusal is one debug line with its code and no stack; a bug is one error
 * line with the stack and the request id, on every transport.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { levelFrom } from '../../src/observability/log.ts';
import { initialise, openRaw } from '../realtime/support/rawWebSocket.ts';
import { captureLogs, type CapturedLogs, type LogLine } from '../support/captureLogs.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Logs two lines from a fresh process with this environment and returns its stdout. */
async function logFromProcess(env: Record<string, string>, viaTerminal = false): Promise<string> {
  const script = "import('./src/observability/log.ts').then(({ log }) => { log.info({ requestId: 'proc-1' }, 'hello'); log.debug('hidden unless debug'); })";
  const command = ['node', '--import', 'tsx', '-e', JSON.stringify(script).slice(1, -1)];
  const environment = { ...process.env, ...env };
  if (!('LOG_LEVEL' in env)) delete environment.LOG_LEVEL;
  if (!viaTerminal) return (await run(command[0]!, command.slice(1), { cwd: root, env: environment })).stdout;
  // `script` gives the process a pseudo-terminal, as an operator's shell would.
  const shell = `node --import tsx -e "${script.replace(/"/g, '\\"')}"`;
  return (await run('script', ['-qec', shell, '/dev/null'], { cwd: root, env: environment })).stdout;
}

describe('the logger', () => {
  it('reads LOG_LEVEL: a level name in any case, info by default, undefined for junk', () => {
    expect(levelFrom(undefined)).toBe('info');
    expect(levelFrom('')).toBe('info');
    expect(levelFrom('DEBUG')).toBe('debug');
    expect(levelFrom('silent')).toBe('silent');
    expect(levelFrom('loud')).toBeUndefined();
  });

  it('writes one JSON object per line with time, level, msg and the fields given', async () => {
    const lines = (await logFromProcess({})).trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as LogLine;
    expect(line).toMatchObject({ level: 'info', msg: 'hello', requestId: 'proc-1', pid: expect.any(Number) });
    expect(line.time).toMatch(ISO_TIME);
  });

  it('honours LOG_LEVEL=debug and LOG_LEVEL=silent, and says so when LOG_LEVEL is junk', async () => {
    expect((await logFromProcess({ LOG_LEVEL: 'debug' })).trim().split('\n')).toHaveLength(2);
    expect(await logFromProcess({ LOG_LEVEL: 'silent' })).toBe('');
    const junk = (await logFromProcess({ LOG_LEVEL: 'loud' })).trim().split('\n').map((l) => JSON.parse(l) as LogLine);
    expect(junk.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(junk[0]?.msg).toContain('LOG_LEVEL=loud');
  });

  it('prints pretty lines on a terminal', async () => {
    const output = await logFromProcess({}, true);
    expect(output).toContain('hello');
    expect(output).toContain('INFO');
    expect(output).toContain('requestId');
    expect(output.trim().startsWith('{')).toBe(false);
  });
});

describe('a request in the log', () => {
  let server: TestServer;
  let logs: CapturedLogs;
  let token: string;
  let threadId: string;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    token = (await signUp(server, 'logged')).token;
    threadId = (await server.ok(CREATE_THREAD, { title: 'Logged' }, token)).createThread.thread.id;
  });
  afterAll(async () => {
    await server?.dispose();
  });
  afterEach(() => logs?.stop());

  const post = (id: string, query: string, variables: Record<string, unknown> = {}, accept = 'application/json') =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${token}`, 'x-request-id': id }, body: JSON.stringify({ query, variables }) }).then((r) => r.text());
  const of = (id: string) => logs.lines.filter((line) => line.requestId === id || (line.requestId ?? '').startsWith(`${id}:`));
  /** The request line is written when the response closes: wait for it rather than for time. */
  const settled = async (id: string) => {
    await waitFor(() => of(id).some((l) => l.msg === 'request'), { what: `the request line of ${id}`, intervalMs: 10 });
    return of(id);
  };

  it('carries its request id on every line, with time, level and msg', async () => {
    logs = captureLogs('debug');
    await post('log-ok-1', POST, { t: threadId, b: 'hello log' });
    const lines = await settled('log-ok-1');
    const request = lines.find((l) => l.msg === 'request');
    expect(request).toMatchObject({ level: 'debug', method: 'POST', path: '/graphql', status: 200, ms: expect.any(Number) });
    for (const line of lines) expect(line.time).toMatch(ISO_TIME);
    expect(logs.atLeast('info')).toEqual([]);
  });

  it('logs a refusal as one debug line with its code, no stack, nothing at warn or above', async () => {
    logs = captureLogs('debug');
    const answer = await post('log-refused-1', POST, { t: '00000000-0000-4000-8000-000000000000', b: 'into the void' });
    expect(answer).toContain('NOT_FOUND');
    const lines = await settled('log-refused-1');
    const refusal = lines.filter((l) => l.code === 'NOT_FOUND');
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toMatchObject({ level: 'debug' });
    expect(JSON.stringify(lines)).not.toContain('    at ');
    expect(logs.atLeast('warn')).toEqual([]);
  });

  it('logs a bug once, at error, with its stack and the request id, on the fast path, yoga and WebSocket', async () => {
    // A real fault, not a mock: the threads table disappears under the server (another process renames it).
    const file = server.database.url.replace(/^sqlite:/, '');
    const other = new Database(file);
    other.exec('ALTER TABLE threads RENAME TO threads_elsewhere');
    logs = captureLogs('info');
    try {
      const query = '{ threads(first: 1) { edges { node { id } } } }';
      expect(await post('bug-fast', query)).toContain('INTERNAL_SERVER_ERROR');
      expect(await post('bug-yoga', query, {}, 'text/event-stream')).toContain('INTERNAL_SERVER_ERROR');
      const ws = await openRaw(Number(new URL(server.url).port), { headers: { 'X-Request-Id': 'bug-ws' } });
      await initialise(ws, token);
      ws.sendJson({ id: 'q1', type: 'subscribe', payload: { query } });
      const reply = await ws.next((m) => m.id === 'q1' && m.type === 'next');
      expect(JSON.stringify(reply)).toContain('INTERNAL_SERVER_ERROR');
      ws.socket.destroy();
    } finally {
      other.exec('ALTER TABLE threads_elsewhere RENAME TO threads');
      other.close();
    }
    for (const id of ['bug-fast', 'bug-yoga', 'bug-ws:q1']) {
      const errors = logs.lines.filter((l) => l.requestId === id && l.level === 'error');
      expect(errors, id).toHaveLength(1);
      expect(errors[0]?.err?.message, id).toContain('threads');
      expect(errors[0]?.err?.stack, id).toContain('    at ');
    }
    // Nothing else reached the log at error: yoga's own logger did not log the same bug a second time.
    expect(logs.atLeast('error')).toHaveLength(3);
  });
});
