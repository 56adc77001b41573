/**
 * The fan-out poster: posts probe messages (phase, sequence, start time in
 * the body) to Thrds via `postMessage` over HTTP, or to a baseline's
 * `POST /publish`, at a fixed rate (open loop: a slow server does not slow
 * the schedule) or as fast as a few requests in flight allow.
 */
import { randomUUID } from 'node:crypto';
import { cpuShare, failToParent, serveParent, sendToParent } from '../support/childRuntime.ts';
import type { IpcMessage } from '../support/childProcesses.ts';
import { probeBody } from '../support/broadcastFrame.ts';
import { graphqlHttpClient, httpPoster, POST_MESSAGE } from '../support/graphqlHttp.ts';
import { Histogram, nowMs } from '../support/histogram.ts';

export interface PosterConfig extends IpcMessage {
  readonly type: 'config';
  readonly target: 'thrds' | 'publish';
  readonly baseUrl: string;
  readonly token: string;
  readonly threadId: string;
  /** Pad bodies to about this many characters. */
  readonly padTo: number;
}

let post: (phase: number, seq: number) => Promise<void> = () => Promise.reject(new Error('poster not configured'));

function configure(config: PosterConfig): void {
  if (config.target === 'thrds') {
    const client = graphqlHttpClient(config.baseUrl, 16);
    post = async (phase, seq) => {
      const body = probeBody(phase, seq, nowMs(), config.padTo);
      await client.request(POST_MESSAGE, { t: config.threadId, b: body, k: `bench-${randomUUID()}` }, config.token);
    };
  } else {
    const client = httpPoster(config.baseUrl, '/publish', 16);
    post = (phase, seq) => client.post(probeBody(phase, seq, nowMs(), config.padTo));
  }
}

async function run(message: IpcMessage): Promise<IpcMessage> {
  const phase = Number(message.phase);
  const messages = Number(message.messages);
  const rate = Number(message.rate);
  const inFlight = Number(message.inFlight ?? 4);
  const latency = new Histogram();
  const errorSamples: string[] = [];
  let failed = 0;
  const startCpu = process.cpuUsage();
  const startWall = performance.now();
  const one = async (seq: number) => {
    const started = performance.now();
    try {
      await post(phase, seq);
      latency.record(performance.now() - started);
    } catch (error) {
      failed++;
      if (errorSamples.length < 5) errorSamples.push(String(error));
    }
  };
  if (rate > 0) {
    const pending: Promise<void>[] = [];
    for (let seq = 0; seq < messages; seq++) {
      const due = startWall + (seq * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait)); // pacing to the requested rate
      pending.push(one(seq));
    }
    await Promise.all(pending);
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(inFlight, messages) }, async () => {
        while (next < messages) await one(next++);
      }),
    );
  }
  const cpu = cpuShare(startCpu, startWall);
  return {
    type: 'ran',
    posted: messages - failed,
    failed,
    errors: errorSamples,
    durationMs: performance.now() - startWall,
    postP50: latency.quantile(0.5),
    postP99: latency.quantile(0.99),
    cpuShare: cpu.share,
  };
}

serveParent({
  config: (message) => {
    configure(message as PosterConfig);
    return { type: 'configured' };
  },
  postOne: async (message) => {
    await post(Number(message.phase), Number(message.seq));
    return { type: 'posted' };
  },
  run,
  stop: () => process.exit(0),
});

process.on('uncaughtException', failToParent);
sendToParent({ type: 'started' });
