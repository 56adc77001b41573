/**
 * The WebSocket path's error policy: a bug in a resolver reaches the client
 * masked (INTERNAL_SERVER_ERROR, nothing of the cause) and the server log
 * once, with the operation's correlation id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTER } from '../support/server.ts';
import { type GatewayHarness, startGateway } from './gatewayHarness.ts';

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
    const logged: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const ws = await harness.client(token);
      ws.sendJson({ id: 'who-am-i', type: 'subscribe', payload: { query: '{ me { id username } }' } });
      const reply = await ws.next((m) => m.id === 'who-am-i' && m.type === 'next');
      expect(reply.payload).toEqual({ data: { me: null }, errors: [expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })] });
      expect(JSON.stringify(reply)).not.toContain('fire');
      ws.socket.destroy();
    } finally {
      console.error = consoleError;
      readCache.usersByIds = original;
    }
    expect(logged).toHaveLength(1);
    expect(String(logged[0]?.[0])).toMatch(/ws-\d+:who-am-i/);
    expect(String(logged[0]?.[1])).toContain('the users table is on fire');
  });
});
