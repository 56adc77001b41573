/**
 * Sends one WebSocket fuzz case and reads what came back: the HTTP answer
 * to the opening (never a 5xx), the close code (never 4500 or 1011), the
 * graphql-ws messages (every error with a code). A ping after the case
 * tells "the server read it all and is still talking" from "still waiting".
 */
import { checkCloseCode, checkSentCloseCode, checkWsMessages } from './answerChecks.ts';
import type { FrameCase } from './frameCases.ts';
import type { CaseOutcome, Violation } from './fuzzRunner.ts';
import type { FuzzServer } from './fuzzServer.ts';
import { encodeFrame, OPCODE, RawConnection } from './wsWire.ts';

export async function runFrameCase(c: FrameCase, server: FuzzServer): Promise<CaseOutcome> {
  const violations: Violation[] = [];
  let connection: RawConnection;
  try {
    connection = await RawConnection.open(server.portNumber, c.opening);
  } catch (error) {
    return { violations: [{ kind: 'connection refused', detail: error instanceof Error ? error.message : String(error) }], abrupt: true };
  }
  try {
    await connection.waitFor(() => connection.status !== 0 || connection.ended, 5000);
    if (connection.status >= 500) violations.push({ kind: 'HTTP 5xx', detail: `opening answered ${connection.head.split('\r\n')[0]}` });
    // An opening that is not yet a whole request (blank lines, a header without its end) may rightly wait for more.
    if (connection.status === 0 && !connection.ended && c.kind !== 'bad opening') violations.push({ kind: 'no answer', detail: 'the upgrade got no HTTP answer within 5 s' });
    if (!connection.upgraded) return { violations, abrupt: connection.status === 0 };

    const closed = () => connection.closeCode !== undefined || connection.ended;
    for (const step of c.steps) {
      if (closed()) break;
      connection.write(step.bytes);
      if (step.awaitAck) {
        await connection.waitFor(() => closed() || connection.messages.some((m) => (m as { type?: unknown } | null)?.type === 'connection_ack'), 3000);
      }
    }
    if (!c.unfinished && !closed()) {
      const probe = Buffer.from(`probe-${c.index}`);
      connection.write(encodeFrame({ opcode: OPCODE.ping, payload: probe }));
      await connection.waitFor(() => closed() || connection.frames.some((f) => f.opcode === OPCODE.pong && f.payload.equals(probe)), 2000);
      if (c.settleMs > 0) await connection.waitFor(closed, c.settleMs);
    } else {
      await connection.waitFor(closed, 40);
    }
    violations.push(...checkCloseCode(connection.closeCode, connection.closeReason, 'WebSocket'));
    if (connection.closeCode !== undefined && connection.closeCodeSent) violations.push(...checkSentCloseCode(connection.closeCode, 'WebSocket'));
    violations.push(...checkWsMessages(connection.messages, 'WebSocket'));
    // Ended with no close frame and no HTTP error: either the server dropped us (fine) or it died (the runner checks).
    return { violations, abrupt: connection.reset || (connection.ended && connection.closeCode === undefined) };
  } finally {
    connection.destroy();
  }
}
