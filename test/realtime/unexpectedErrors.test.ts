/**
 * The WebSocket path's error policy: a bug in a resolver reaches the client
 * masked (INTERNAL_SERVER_ERROR, nothing of the cause) and the server log
 * once, with the operation's correlation id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../support/captureLogs.ts';
import { REGISTER } from '../support/server.ts';
import { openRaw, initialise } from './support/rawWebSocket.ts';
import { type GatewayHarness, startGateway } from './support/gatewayHarness.ts';

describe('unexpected errors over WebSocket', () => {
  let harness: GatewayHarness;
  let token: string;

  beforeAll(async () => {
    harness = await startGateway('sqlite');
    token = (await harness.run(REGISTER, { u: 'unlucky', p: 'correct horse', d: 'Unlucky' })).data.register.token;
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it('masks a failing resolver for the client and logs it once with the correlation id', async () => {
    const readCache = harness.services.readCache;
    const original = readCache.usersByIds;
    readCache.usersByIds = async () => {
      throw new Error('the users table is on fire');
    };
    const logs = captureLogs('warn');
    try {
      const ws = await openRaw(harness.port, { headers: { 'X-Request-Id': 'unlucky-socket' } });
      await initialise(ws, token);
      ws.sendJson({ id: 'who-am-i', type: 'subscribe', payload: { query: '{ me { id username } }' } });
      const reply = await ws.next((m) => m.id === 'who-am-i' && m.type === 'next');
      expect(reply.payload).toEqual({ data: { me: null }, errors: [expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })] });
      expect(JSON.stringify(reply)).not.toContain('fire');
      ws.socket.destroy();
    } finally {
      logs.stop();
      readCache.usersByIds = original;
    }
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).toMatchObject({ level: 'error', requestId: 'unlucky-socket:who-am-i' });
    expect(logs.lines[0]?.err?.stack).toContain('the users table is on fire');
  });
});
