/**
 * The crowd of the presence bench: people, each signed in on one or two
 * graphql-ws connections (tabs), the first holding a `threadEvents`
 * subscription (what "has the thread open" means). On request they join at
 * a steady rate, churn (people leave and come back, threads closed and
 * opened again) at a steady rate for a while, come back, and leave at a steady rate;
 * each phase answers how many joins and leaves it made, over what wall
 * time, and the frames the crowd's sockets read. Driven over IPC.
 */
import { failToParent, serveParent, sendToParent } from '../support/childRuntime.ts';
import type { IpcMessage } from '../support/childProcesses.ts';
import { openGraphqlWs, type GraphqlWsSocket } from '../support/graphqlWsSocket.ts';
import { nowMs } from '../support/histogram.ts';

export interface CrowdConfig extends IpcMessage {
  readonly type: 'config';
  readonly url: string;
  readonly threadId: string;
  readonly people: readonly { readonly token: string; readonly tabs: number }[];
}

export interface PhaseDone extends IpcMessage {
  readonly type: 'done';
  /** nowMs() at the first and after the last scheduled operation (joins and leaves still settling excluded). */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly personJoins: number;
  readonly personLeaves: number;
  /** Connections opened + closed. */
  readonly connectionChanges: number;
  /** threadEvents subscriptions started + ended. */
  readonly threadChanges: number;
  readonly framesRead: number;
  readonly failed: number;
  readonly errors: readonly string[];
}

const THREAD_EVENTS = 'subscription Open($t: ID!) { threadEvents(threadId: $t) { __typename } }';

interface Person {
  readonly token: string;
  readonly tabs: number;
  sockets: GraphqlWsSocket[];
  /** The id of the live threadEvents subscription on the first tab, if any. */
  threadSubscription: string | undefined;
  present: boolean;
  busy: boolean;
}

let config: CrowdConfig | undefined;
let people: Person[] = [];
let frames = 0;
let subscriptionIds = 0;
const errors: string[] = [];

function note(error: string): void {
  if (errors.length < 20) errors.push(error);
}

interface Tally {
  personJoins: number;
  personLeaves: number;
  connectionChanges: number;
  threadChanges: number;
  failed: number;
}

const newTally = (): Tally => ({ personJoins: 0, personLeaves: 0, connectionChanges: 0, threadChanges: 0, failed: 0 });

function openThread(person: Person, tally: Tally): void {
  const first = person.sockets[0];
  if (!first || !config || person.threadSubscription) return;
  person.threadSubscription = `t${++subscriptionIds}`;
  first.subscribe(person.threadSubscription, THREAD_EVENTS, { t: config.threadId });
  tally.threadChanges++;
}

function closeThread(person: Person, tally: Tally): void {
  if (!person.threadSubscription) return;
  person.sockets[0]?.complete(person.threadSubscription);
  person.threadSubscription = undefined;
  tally.threadChanges++;
}

async function join(person: Person, tally: Tally): Promise<void> {
  if (!config) throw new Error('crowd not configured');
  const url = config.url;
  person.busy = true;
  try {
    person.sockets = await Promise.all(
      Array.from({ length: person.tabs }, () => openGraphqlWs(url, person.token, { onNext: () => undefined, onProblem: note, onClose: () => undefined, onFrame: () => frames++ })),
    );
    person.present = true;
    tally.personJoins++;
    tally.connectionChanges += person.tabs;
    openThread(person, tally);
  } catch (error) {
    tally.failed++;
    note(`join: ${String(error)}`);
  } finally {
    person.busy = false;
  }
}

function leave(person: Person, tally: Tally): void {
  if (person.threadSubscription) tally.threadChanges++;
  person.threadSubscription = undefined;
  for (const socket of person.sockets) socket.close();
  tally.connectionChanges += person.sockets.length;
  person.sockets = [];
  person.present = false;
  tally.personLeaves++;
}

/** Runs `operations` operations at `rate` a second (open loop: a slow join does not delay the schedule). */
async function paced(operations: number, rate: number, operation: (i: number) => Promise<void> | void): Promise<{ startedAt: number; endedAt: number }> {
  const started = performance.now();
  const startedAt = nowMs();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < operations; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait)); // pacing to the requested rate
    pending.push(Promise.resolve(operation(i)));
  }
  const endedAt = nowMs();
  await Promise.all(pending);
  return { startedAt, endedAt };
}

function pick(candidates: readonly Person[]): Person | undefined {
  return candidates[Math.floor(Math.random() * candidates.length)];
}

function done(tally: Tally, window: { startedAt: number; endedAt: number }, framesBefore: number): PhaseDone {
  return { type: 'done', ...window, ...tally, framesRead: frames - framesBefore, errors: errors.slice(0, 5) };
}

/** Every absent person joins, `rate` a second. */
async function joinAll(rate: number): Promise<PhaseDone> {
  const tally = newTally();
  const framesBefore = frames;
  const absent = people.filter((p) => !p.present);
  const window = await paced(absent.length, rate, (i) => {
    const person = absent[i];
    return person ? join(person, tally) : undefined;
  });
  return done(tally, window, framesBefore);
}

/** Every present person leaves, `rate` a second. */
async function leaveAll(rate: number): Promise<PhaseDone> {
  const tally = newTally();
  const framesBefore = frames;
  const present = people.filter((p) => p.present);
  const window = await paced(present.length, rate, (i) => {
    const person = present[i];
    if (person) leave(person, tally);
  });
  return done(tally, window, framesBefore);
}

/**
 * For `durationMs`, `rate` operations a second, in turn: a present person
 * leaves, an absent one joins, a present one closes or reopens the thread.
 * Then everyone is back with the thread open (not counted), so the truth is
 * the joined state again.
 */
async function churn(rate: number, durationMs: number): Promise<PhaseDone> {
  const tally = newTally();
  const framesBefore = frames;
  const operations = Math.round((rate * durationMs) / 1000);
  const window = await paced(operations, rate, (i) => {
    const idle = people.filter((p) => !p.busy);
    switch (i % 3) {
      case 0: {
        const person = pick(idle.filter((p) => p.present));
        if (person) leave(person, tally);
        return undefined;
      }
      case 1: {
        const person = pick(idle.filter((p) => !p.present));
        return person ? join(person, tally) : undefined;
      }
      default: {
        const person = pick(idle.filter((p) => p.present));
        if (person?.threadSubscription) closeThread(person, tally);
        else if (person) openThread(person, tally);
        return undefined;
      }
    }
  });
  return done(tally, window, framesBefore);
}

/** Everyone back, with the thread open: the joined state again. */
async function restore(): Promise<PhaseDone> {
  const tally = newTally();
  const framesBefore = frames;
  const startedAt = nowMs();
  await Promise.all(people.filter((p) => !p.present).map((p) => join(p, tally)));
  for (const person of people.filter((p) => p.present && !p.threadSubscription)) openThread(person, tally);
  return done(tally, { startedAt, endedAt: nowMs() }, framesBefore);
}

serveParent({
  config: (message) => {
    config = message as CrowdConfig;
    people = config.people.map(({ token, tabs }) => ({ token, tabs, sockets: [], threadSubscription: undefined, present: false, busy: false }));
    return { type: 'configured' };
  },
  join: (message) => joinAll(Number(message.rate)),
  churn: (message) => churn(Number(message.rate), Number(message.durationMs)),
  restore: () => restore(),
  leave: (message) => leaveAll(Number(message.rate)),
  stop: () => {
    for (const person of people) for (const socket of person.sockets) socket.close();
    setTimeout(() => process.exit(0), 200); // a grace period for the close frames to leave before the process does
  },
});

process.on('uncaughtException', failToParent);
sendToParent({ type: 'started' });
