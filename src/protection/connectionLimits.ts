/**
 * Caps on long-lived connections (WebSocket and SSE alike): at most
 * `maxConnectionsPerAddress` open from one client address and
 * `maxConnections` in all, on this instance. Idle sockets cost memory and a
 * file descriptor each; without a cap one address can hold thousands.
 *
 * Usage, by any transport that holds a connection open:
 *
 *   const release = limits.tryOpen(clientAddress(req, trustProxy));
 *   if (!release) return refuse(429, { 'retry-after': String(CONNECTION_RETRY_AFTER_SECONDS) });
 *   socket.once('close', release);   // exactly once: later calls do nothing
 *
 * One instance is shared by every transport of a server, so the caps count
 * WebSocket and SSE connections together.
 */
import type { ProtectionConfig } from './protectionConfig.ts';

/** What a refused client is told to wait (seconds): connections free up as others leave, not on a clock. */
export const CONNECTION_RETRY_AFTER_SECONDS = 10;

export class ConnectionLimits {
  private readonly perAddress = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: Pick<ProtectionConfig, 'maxConnectionsPerAddress' | 'maxConnections'>) {}

  /**
   * Counts a new connection from `address`, or refuses it (null) when a cap
   * is reached. The returned function gives the place back; calling it more
   * than once is harmless.
   */
  tryOpen(address: string): (() => void) | null {
    const held = this.perAddress.get(address) ?? 0;
    if (held >= this.limits.maxConnectionsPerAddress || this.total >= this.limits.maxConnections) return null;
    this.perAddress.set(address, held + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    };
  }

  /** Connections open now, in all or from one address. */
  open(address?: string): number {
    return address === undefined ? this.total : (this.perAddress.get(address) ?? 0);
  }
}
