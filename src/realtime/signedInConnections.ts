/**
 * Which open connections signed in as whom, so that ending a session ends
 * its sockets too. When some of a user's sessions are revoked (logout,
 * logout everywhere, a password change), each distinct token their
 * connections hold is looked up afresh; connections whose token is gone are
 * closed with 4403.
 */
import type { SessionCache } from '../accounts/sessions.ts';
import { log, logFailure } from '../observability/log.ts';

export interface SignedIn {
  readonly token: string;
  /** The session is over: close the connection. */
  revoke(): void;
}

export class SignedInConnections {
  private readonly byUser = new Map<string, Set<SignedIn>>();

  constructor(
    private readonly sessions: SessionCache,
    private readonly clock: () => number,
  ) {}

  add(userId: string, connection: SignedIn): void {
    let held = this.byUser.get(userId);
    if (!held) this.byUser.set(userId, (held = new Set()));
    held.add(connection);
  }

  remove(userId: string, connection: SignedIn): void {
    const held = this.byUser.get(userId);
    if (!held?.delete(connection)) return;
    if (held.size === 0) this.byUser.delete(userId);
  }

  /** Re-checks every token `userId`'s connections hold (once per token) and revokes those that are no longer valid. */
  recheck(userId: string): void {
    const held = this.byUser.get(userId);
    if (!held) return;
    const byToken = new Map<string, SignedIn[]>();
    for (const connection of held) byToken.set(connection.token, [...(byToken.get(connection.token) ?? []), connection]);
    for (const [token, connections] of byToken) {
      this.sessions.forget(token);
      this.sessions.userIdFor(token, this.clock()).then(
        (stillFor) => {
          if (stillFor !== userId) for (const connection of connections) connection.revoke();
        },
        (error: unknown) => logFailure(log.child({ userId }), error, "could not re-check a revoked user's WebSocket session", 'warn'),
      );
    }
  }

  get size(): number {
    return this.byUser.size;
  }
}
