/**
 * The child side of the IPC protocol: typed send, a handler per message
 * type, and an exit when the parent goes away so nothing is left behind.
 */
import type { IpcMessage } from './childProcesses.ts';

export function sendToParent(message: IpcMessage): void {
  if (process.send && process.connected) process.send(message);
}

export type Handler = (message: IpcMessage) => unknown;

/** Serves IPC requests; a handler's return value (if an object) is sent back, a throw becomes {type:'error'}. */
export function serveParent(handlers: Readonly<Record<string, Handler>>): void {
  process.on('message', (raw) => {
    const message = raw as IpcMessage;
    const handler = handlers[message.type];
    if (!handler) return;
    Promise.resolve()
      .then(() => handler(message))
      .then((reply) => {
        if (reply && typeof reply === 'object') sendToParent(reply as IpcMessage);
      })
      .catch((error: unknown) => {
        sendToParent({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      });
  });
  process.on('disconnect', () => process.exit(0));
}

/** Reports a fatal error to the parent and exits. */
export function failToParent(error: unknown): never {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(message);
  if (process.send && process.connected) {
    process.send({ type: 'error', message }, () => process.exit(1));
    setTimeout(() => process.exit(1), 1000).unref();
  } else {
    process.exit(1);
  }
  // Parked until the message is flushed and the process exits.
  return undefined as never;
}

/** CPU time this process used since `since` (ms) and over what wall time. */
export function cpuShare(startCpu: NodeJS.CpuUsage, startWall: number): { cpuMs: number; wallMs: number; share: number } {
  const used = process.cpuUsage(startCpu);
  const cpuMs = (used.user + used.system) / 1000;
  const wallMs = performance.now() - startWall;
  return { cpuMs, wallMs, share: wallMs > 0 ? cpuMs / wallMs : 0 };
}
