/**
 * The watchers of the presence bench: signed-in graphql-ws connections
 * subscribed to `presence { people connections }` (everyone) or
 * `presence(threadId:)` (one thread), recording every value and when it
 * came, so the bench can count updates per second per watcher in a window
 * and see when every watcher's last value equals the truth. Driven over IPC.
 */
import { failToParent, serveParent, sendToParent } from '../support/childRuntime.ts';
import type { IpcMessage } from '../support/childProcesses.ts';
import { openGraphqlWs, type GraphqlWsSocket, type NextPayload } from '../support/graphqlWsSocket.ts';

export type Scope = 'all' | 'thread';

export interface WatchRequest extends IpcMessage {
  readonly type: 'watch';
  readonly url: string;
  readonly tokens: readonly string[];
  readonly scope: Scope;
  readonly threadId: string;
}

export interface Counts {
  readonly people: number;
  readonly connections: number;
}

export interface WindowReport extends IpcMessage {
  readonly type: 'window';
  /** Updates each watcher received in the window. */
  readonly updates: readonly number[];
  /** The most updates any watcher received within one second of the window. */
  readonly maxInOneSecond: number;
  /** Values that repeated the one before (an update that changed nothing). */
  readonly repeats: number;
}

interface Watcher {
  readonly scope: Scope;
  readonly times: number[];
  last: Counts | undefined;
  repeatsAt: number[];
}

const QUERY: Readonly<Record<Scope, string>> = {
  all: 'subscription Online { presence { people connections } }',
  thread: 'subscription ThreadOnline($t: ID!) { presence(threadId: $t) { people connections } }',
};

const watchers: Watcher[] = [];
const sockets: GraphqlWsSocket[] = [];
const errors: string[] = [];
let closed = 0;

function note(error: string): void {
  if (errors.length < 20) errors.push(error);
}

function onNext(watcher: Watcher, payload: NextPayload, at: number): void {
  if (payload.errors) note(`next with errors: ${JSON.stringify(payload.errors).slice(0, 300)}`);
  const value = payload.data?.presence as Counts | undefined;
  if (!value) return;
  if (watcher.last && watcher.last.people === value.people && watcher.last.connections === value.connections) watcher.repeatsAt.push(at);
  watcher.times.push(at);
  watcher.last = { people: value.people, connections: value.connections };
}

async function watch(request: WatchRequest): Promise<IpcMessage> {
  for (const token of request.tokens) {
    const watcher: Watcher = { scope: request.scope, times: [], last: undefined, repeatsAt: [] };
    watchers.push(watcher);
    const socket = await openGraphqlWs(request.url, token, { onNext: (_id, payload, at) => onNext(watcher, payload, at), onProblem: note, onClose: () => closed++ });
    sockets.push(socket);
    socket.subscribe('1', QUERY[request.scope], request.scope === 'thread' ? { t: request.threadId } : {});
  }
  return { type: 'watching', count: request.tokens.length };
}

/** Watchers of `scope` whose last value equals `truth`, and the values seen (as "people/connections": watchers). */
function matching(scope: Scope, truth: Counts): IpcMessage {
  const values: Record<string, number> = {};
  let matched = 0;
  for (const w of watchers.filter((x) => x.scope === scope)) {
    const key = w.last ? `${w.last.people}/${w.last.connections}` : 'none';
    values[key] = (values[key] ?? 0) + 1;
    if (w.last?.people === truth.people && w.last.connections === truth.connections) matched++;
  }
  return { type: 'matching', matched, values, errors: errors.slice(0, 5), closed };
}

function windowReport(scope: Scope, from: number, to: number): WindowReport {
  const mine = watchers.filter((w) => w.scope === scope);
  const updates = mine.map((w) => w.times.filter((t) => t >= from && t < to).length);
  let maxInOneSecond = 0;
  for (const w of mine) {
    const inside = w.times.filter((t) => t >= from && t < to);
    let start = 0;
    for (let end = 0; end < inside.length; end++) {
      while ((inside[end] ?? 0) - (inside[start] ?? 0) >= 1000) start++;
      maxInOneSecond = Math.max(maxInOneSecond, end - start + 1);
    }
  }
  const repeats = mine.reduce((s, w) => s + w.repeatsAt.filter((t) => t >= from && t < to).length, 0);
  return { type: 'window', updates, maxInOneSecond, repeats };
}

serveParent({
  watch: (message) => watch(message as WatchRequest),
  matching: (message) => matching(message.scope as Scope, message.truth as Counts),
  window: (message) => windowReport(message.scope as Scope, Number(message.from), Number(message.to)),
  stop: () => {
    for (const socket of sockets) socket.close();
    setTimeout(() => process.exit(0), 200); // a grace period for the close frames to leave before the process does
  },
});

process.on('uncaughtException', failToParent);
sendToParent({ type: 'started' });
