/**
 * Fan-out by groups. Subscriptions with the same document, variables (but
 * where they start) and auth scope form a group. The GraphQL spec runs the
 * selection set once per event per subscriber; a group runs it once per
 * event, keeps the UTF-8 bytes, and sends them to every live member, pushed
 * by the log feed: no per-subscriber pull, promise or re-encoding per event.
 *
 * A member that starts in the past catches up on its own (reading the log,
 * sharing the group's cached results), and joins the live set once it has
 * scanned up to the feed's head. From then on the group hands it every event
 * after the position it joined at: no gap, no duplicate.
 */
import { type DocumentNode, Kind, type OperationDefinitionNode, visit } from 'graphql';
import { canonicalJson } from '../events/canonicalJson.ts';
import { type FeedFilter, type LogFeed, matchesFilter, type SideValues } from '../events/logFeed.ts';
import type { StoredEvent } from '../events/types.ts';
import { log } from '../observability/log.ts';
import { benchTrace, traceNow } from '../observability/benchTrace.ts';
import type { SocketTransport } from './socketTransport.ts';

/**
 * How many recent events' results a group keeps for members still catching
 * up, and at most how many bytes of them. Live members need no cache (each
 * event is executed once per group as it arrives), so a group with no member
 * catching up keeps nothing: a client holding hundreds of groups costs no
 * cache, and catch-ups on one socket take turns (connection.ts).
 */
const KEPT_RESULTS = 512;
const KEPT_BYTES = 1024 * 1024;
const FRAME_END = Buffer.from('}');

/** One subscriber of a group. */
export interface Member {
  /** Its socket: the frames of a run of events go out corked, in one write. */
  readonly transport: SocketTransport;
  /** The client's subscription id: members with the same id are sent the same frame. */
  readonly id: string;
  /** `{"id":"<subscription id>","type":"next","payload":` as bytes. */
  readonly prefix: Buffer;
  /** The last position this member has been given (or scanned past). */
  last: number;
  /** Called when the member cannot keep up; the group has already let it go. */
  readonly onTooSlow: () => void;
}

export type ExecuteEvent = (event: StoredEvent) => Promise<string>;

/** A log event, or a side value (a bot's draft): no position, sent to live members only. */
type Item = StoredEvent | object;

const isLogEvent = (item: Item): item is StoredEvent => typeof (item as Partial<StoredEvent>).position === 'number';

export class SubscriptionGroup {
  private readonly live = new Set<Member>();
  private readonly results = new Map<number, Promise<Buffer>>();
  private readonly sizes = new Map<number, number>();
  private keptBytes = 0;
  private catchingUp = 0;
  private queue: Item[] = [];
  private dispatching = false;
  private holders = 0;
  private readonly stopFeed: () => void;
  private readonly stopSide: (() => void) | undefined;

  constructor(
    readonly key: string,
    private readonly filter: FeedFilter,
    private readonly execute: ExecuteEvent,
    feed: LogFeed,
    private readonly registry: GroupRegistry,
    /** Values from outside the log for the whole group (the thread's bot drafts): in the queue with the events, so their order holds. */
    side?: SideValues,
  ) {
    this.stopFeed = feed.onAdvance((events) => this.advance(events));
    this.stopSide = side?.((value) => this.offer(value));
  }

  /** The result of `event` for this group as bytes: executed by the first asker, shared with the rest. */
  result(event: StoredEvent): Promise<Buffer> {
    const cached = this.results.get(event.position);
    if (cached) return cached;
    this.registry.executions += 1;
    const pending = this.execute(event).then((json) => Buffer.from(json));
    if (this.catchingUp > 0) this.keep(event.position, pending);
    return pending;
  }

  /** A member starts replaying from the log: results are kept for it (and others replaying) to share. */
  startCatchUp(): void {
    this.catchingUp += 1;
  }

  /** A member stopped replaying (joined or stopped); with none left, the kept results go. */
  endCatchUp(): void {
    this.catchingUp -= 1;
    if (this.catchingUp > 0) return;
    this.results.clear();
    this.sizes.clear();
    this.keptBytes = 0;
  }

  private keep(position: number, pending: Promise<Buffer>): void {
    this.results.set(position, pending);
    pending.then(
      (bytes) => {
        if (this.results.get(position) !== pending) return;
        this.sizes.set(position, bytes.length);
        this.keptBytes += bytes.length;
        this.trim();
      },
      () => {
        if (this.results.get(position) === pending) this.forget(position);
      },
    );
    this.trim();
  }

  private trim(): void {
    while (this.results.size > KEPT_RESULTS || this.keptBytes > KEPT_BYTES) {
      const oldest = this.results.keys().next();
      if (oldest.done) return;
      this.forget(oldest.value);
    }
  }

  private forget(position: number): void {
    this.results.delete(position);
    this.keptBytes -= this.sizes.get(position) ?? 0;
    this.sizes.delete(position);
  }

  /**
   * Sends one result to a member, unless it is too far behind on reading.
   * `frames` shares the finished frame among members with the same
   * subscription id (most clients number their first subscription "1").
   */
  deliver(member: Member, position: number | undefined, bytes: Buffer, frames?: Map<string, Buffer>): boolean {
    if (member.transport.bufferedAmount > this.registry.sendBufferLimit) {
      this.live.delete(member);
      member.onTooSlow();
      return false;
    }
    let frame = frames?.get(member.id);
    if (!frame) {
      frame = Buffer.concat([member.prefix, bytes, FRAME_END]);
      frames?.set(member.id, frame);
    }
    member.transport.send(frame);
    this.registry.deliveries += 1;
    // A side value moves no one's position: a member that resumes replays the log, not drafts.
    if (position !== undefined) member.last = position;
    return true;
  }

  hold(): void {
    this.holders += 1;
  }

  /** Makes a caught-up member live: it gets every event after `member.last`. */
  join(member: Member): void {
    this.live.add(member);
  }

  release(member?: Member): void {
    if (member) this.live.delete(member);
    if (--this.holders > 0) return;
    this.stopFeed();
    this.stopSide?.();
    this.registry.forget(this);
  }

  private advance(events: readonly StoredEvent[]): void {
    if (this.live.size === 0) return;
    for (const event of events) if (matchesFilter(event, this.filter)) this.queue.push(event);
    if (!this.dispatching && this.queue.length > 0) void this.dispatch();
  }

  /** A side value reaches the members live now; one still catching up never sees it (it is no loss: see SideValues). */
  private offer(value: object): void {
    if (this.live.size === 0) return;
    this.queue.push(value);
    if (!this.dispatching) void this.dispatch();
  }

  private sideResult(value: object): Promise<Buffer> {
    this.registry.executions += 1;
    return this.execute(value as StoredEvent).then((json) => Buffer.from(json));
  }

  /**
   * Sends what the feed pushed, a run of events at a time: each event is
   * executed once, then each member gets all of the run's frames in one
   * write (a commit group's events, or a burst, cost one syscall per member).
   */
  private async dispatch(): Promise<void> {
    this.dispatching = true;
    try {
      while (this.queue.length > 0 && this.live.size > 0) {
        const events = this.queue;
        this.queue = [];
        const results = await Promise.all(events.map((item) => (isLogEvent(item) ? this.result(item) : this.sideResult(item))));
        if (benchTrace) traceRun(benchTrace, events, 'executed');
        const frames = events.map(() => new Map<string, Buffer>());
        const corked = events.length > 1;
        for (const member of this.live) {
          if (corked) member.transport.cork();
          try {
            for (let i = 0; i < events.length; i += 1) {
              const item = events[i]!;
              const position = isLogEvent(item) ? item.position : undefined;
              if ((position === undefined || member.last < position) && !this.deliver(member, position, results[i]!, frames[i])) break;
            }
          } finally {
            if (corked) member.transport.uncork();
          }
        }
        if (benchTrace) traceRun(benchTrace, events, 'framesWritten');
      }
    } catch (error) {
      log.error({ err: error, members: this.live.size }, 'a subscription group could not execute an event; its members are dropped to resume');
      for (const member of this.live) member.onTooSlow();
      this.live.clear();
    } finally {
      this.queue = [];
      this.dispatching = false;
    }
  }
}

/** Bench tracing: a run's events executed (the first group to do so), or its frames handed to every member's socket (the last group). */
function traceRun(trace: NonNullable<typeof benchTrace>, items: readonly Item[], stage: 'executed' | 'framesWritten'): void {
  const at = traceNow();
  for (const item of items) {
    if (!isLogEvent(item)) continue;
    if (stage === 'executed') trace.mark(item.position, stage, at);
    else trace.markLast(item.position, stage, at);
  }
}

export class GroupRegistry {
  private readonly groups = new Map<string, SubscriptionGroup>();
  executions = 0;
  /** Event frames sent to members, since start (metrics). */
  deliveries = 0;

  constructor(
    private readonly feed: LogFeed,
    readonly sendBufferLimit: number,
  ) {}

  /** The group for `key` (opened with this filter and executor when new), held once more. */
  hold(key: string, filter: FeedFilter, execute: ExecuteEvent, side?: SideValues): SubscriptionGroup {
    let group = this.groups.get(key);
    if (!group) {
      group = new SubscriptionGroup(key, filter, execute, this.feed, this, side);
      this.groups.set(key, group);
    }
    group.hold();
    return group;
  }

  forget(group: SubscriptionGroup): void {
    if (this.groups.get(group.key) === group) this.groups.delete(group.key);
  }

  get size(): number {
    return this.groups.size;
  }
}

/**
 * The key of a subscription's group: the operation, the variables that can
 * change its results, and the auth scope. A variable used only as the root
 * field's `after` argument picks where the stream starts, not what an
 * event's result is, so it is left out.
 */
export function groupKey(query: string, operation: OperationDefinitionNode, document: DocumentNode, variables: Readonly<Record<string, unknown>>, scope: string): string {
  const startOnly = startOnlyVariables(operation, document);
  const relevant = Object.fromEntries(Object.entries(variables).filter(([name]) => !startOnly.has(name)));
  return `${scope}\u0000${operation.name?.value ?? ''}\u0000${canonicalJson(relevant)}\u0000${query}`;
}

function startOnlyVariables(operation: OperationDefinitionNode, document: DocumentNode): Set<string> {
  const rootField = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  const afterVariables = new Set<string>();
  if (rootField?.kind === Kind.FIELD) {
    for (const arg of rootField.arguments ?? []) {
      if (arg.name.value === 'after' && arg.value.kind === Kind.VARIABLE) afterVariables.add(arg.value.name.value);
    }
  }
  if (afterVariables.size === 0) return afterVariables;
  // Used anywhere else (another argument, a fragment, a directive)? Then it may change results: keep it.
  let uses = 0;
  visit(document, {
    Variable(node, _key, parent) {
      if (afterVariables.has(node.name.value) && !(parent && 'kind' in parent && parent.kind === Kind.VARIABLE_DEFINITION)) uses += 1;
    },
  });
  return uses === afterVariables.size ? afterVariables : new Set();
}
