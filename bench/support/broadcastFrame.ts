/**
 * The frame every fan-out server sends: what Thrds sends over graphql-ws for
 * `threadEvents { ... on MessagePosted { position message { id body } } }`,
 * so the baselines move the same bytes to the same clients.
 */

export interface ThreadEventPayload {
  readonly threadEvents: { readonly position: string; readonly message: { readonly id: string; readonly body: string } };
}

export function threadEventPayload(position: number, messageId: string, body: string): ThreadEventPayload {
  return { threadEvents: { position: String(position), message: { id: messageId, body } } };
}

/** The graphql-transport-ws `next` frame for subscription id `id`. */
export function nextFrame(id: string, payload: ThreadEventPayload): string {
  return JSON.stringify({ id, type: 'next', payload: { data: payload } });
}

/** The body the poster puts in each message: phase, sequence number and post start time (ms). */
export interface ProbeBody {
  readonly p: number;
  readonly s: number;
  readonly t: number;
}

export function probeBody(phase: number, seq: number, startedAt: number, padTo = 0): string {
  const core = `{"p":${phase},"s":${seq},"t":${startedAt.toFixed(3)}`;
  const pad = padTo - core.length - 8;
  return pad > 0 ? `${core},"x":"${'x'.repeat(pad)}"}` : `${core}}`;
}

export function parseProbeBody(body: string): ProbeBody | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<ProbeBody>;
    if (typeof parsed.p === 'number' && typeof parsed.s === 'number' && typeof parsed.t === 'number') return parsed as ProbeBody;
  } catch {
    // Not a probe message (someone else's message in the thread): ignored by design.
  }
  return undefined;
}
