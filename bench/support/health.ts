/** The server's `/healthz` counters: live connections and subscriptions, executions run by the gateway since start. */

export interface Health {
  readonly position: string;
  readonly connections: number;
  readonly subscriptions: number;
  /** Subscription executions the WebSocket gateway ran (each shared by every subscriber of its group). */
  readonly sharedExecutions: number;
  readonly sseConnections: number;
}

export async function health(baseUrl: string): Promise<Health> {
  const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
  return (await res.json()) as Health;
}
