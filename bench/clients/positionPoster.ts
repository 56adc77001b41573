/**
 * The poster of the viewer-scoped fan-out bench: posts messages with
 * `postMessage` at a fixed rate (open loop) and answers with each message's
 * log position and the time its post started, which is how subscribers of
 * values that carry no body (`myThreads`) are matched to a post.
 */
import { randomUUID } from 'node:crypto';
import { cpuShare, failToParent, serveParent, sendToParent } from '../support/childRuntime.ts';
import type { IpcMessage } from '../support/childProcesses.ts';
import { graphqlHttpClient, POST_MESSAGE, type GraphqlHttpClient, type MessagePostedReply } from '../support/graphqlHttp.ts';
import { Histogram, nowMs } from '../support/histogram.ts';

export interface PositionPosterConfig extends IpcMessage {
  readonly type: 'config';
  readonly baseUrl: string;
  readonly token: string;
  readonly threadId: string;
}

export interface PositionPosterRan extends IpcMessage {
  readonly type: 'ran';
  /** [position, post start (nowMs)] of each message posted. */
  readonly probes: readonly (readonly [number, number])[];
  readonly failed: number;
  readonly errors: readonly string[];
  readonly durationMs: number;
  readonly postP50: number;
  readonly postP99: number;
  readonly cpuShare: number;
  /** Messages this poster has posted to the thread since it started (all phases). */
  readonly postedInAll: number;
}

let client: GraphqlHttpClient | undefined;
let config: PositionPosterConfig | undefined;
let postedInAll = 0;
/** The highest position of any message posted so far. */
let head = 0;

async function post(body: string): Promise<number> {
  if (!client || !config) throw new Error('poster not configured');
  const reply = await client.request<MessagePostedReply>(POST_MESSAGE, { t: config.threadId, b: body, k: `bench-${randomUUID()}` }, config.token);
  postedInAll++;
  const position = Number(reply.postMessage.position);
  head = Math.max(head, position);
  return position;
}

async function run(message: IpcMessage): Promise<PositionPosterRan> {
  const messages = Number(message.messages);
  const rate = Number(message.rate);
  const latency = new Histogram();
  const probes: [number, number][] = [];
  const errors: string[] = [];
  let failed = 0;
  const startCpu = process.cpuUsage();
  const startWall = performance.now();
  const one = async (seq: number) => {
    const started = performance.now();
    const t = nowMs();
    try {
      probes.push([await post(`probe ${seq} of ${messages}`), t]);
      latency.record(performance.now() - started);
    } catch (error) {
      failed++;
      if (errors.length < 5) errors.push(String(error));
    }
  };
  const pending: Promise<void>[] = [];
  for (let seq = 0; seq < messages; seq++) {
    const wait = startWall + (seq * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait)); // pacing to the requested rate
    pending.push(one(seq));
  }
  await Promise.all(pending);
  return {
    type: 'ran',
    probes,
    failed,
    errors,
    durationMs: performance.now() - startWall,
    postP50: latency.quantile(0.5),
    postP99: latency.quantile(0.99),
    cpuShare: cpuShare(startCpu, startWall).share,
    postedInAll,
  };
}

serveParent({
  config: (message) => {
    config = message as PositionPosterConfig;
    client = graphqlHttpClient(config.baseUrl, 16);
    return { type: 'configured' };
  },
  postOne: async () => ({ type: 'posted', position: await post('warm-up') }),
  head: () => ({ type: 'head', position: head, postedInAll }),
  run,
  stop: () => process.exit(0),
});

process.on('uncaughtException', failToParent);
sendToParent({ type: 'started' });
