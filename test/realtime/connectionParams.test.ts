/** Where a WebSocket client may put its Authorization in connection_init's payload (src/realtime/connectionParams.ts). */
import { describe, expect, it } from 'vitest';
import { connectionAuthorization } from '../../src/realtime/connectionParams.ts';

const BEARER = 'Bearer abc';

describe('connectionAuthorization', () => {
  it('given { authorization }, when read, then it is the header', () => {
    expect(connectionAuthorization({ authorization: BEARER })).toEqual({ header: BEARER });
  });

  it('given { Authorization } (the HTTP spelling), when read, then it is the header', () => {
    expect(connectionAuthorization({ Authorization: BEARER })).toEqual({ header: BEARER });
  });

  it('given { headers: { Authorization } } or { headers: { authorization } }, when read, then it is the header', () => {
    expect(connectionAuthorization({ headers: { Authorization: BEARER } })).toEqual({ header: BEARER });
    expect(connectionAuthorization({ headers: { authorization: BEARER } })).toEqual({ header: BEARER });
    expect(connectionAuthorization({ headers: { AUTHORIZATION: BEARER, 'x-other': '1' } })).toEqual({ header: BEARER });
  });

  it('given both shapes, when read, then the field of its own wins', () => {
    expect(connectionAuthorization({ authorization: BEARER, headers: { Authorization: 'Bearer other' } })).toEqual({ header: BEARER });
  });

  it('given no payload, an empty one, or nulls, when read, then there is no header (anonymous)', () => {
    for (const payload of [undefined, null, {}, { authorization: null }, { headers: null }, { headers: {} }, { headers: { authorization: undefined } }]) {
      expect(connectionAuthorization(payload), JSON.stringify(payload)).toEqual({ header: undefined });
    }
  });

  it('given an authorization that is not a string, when read, then it is refused naming the field', () => {
    expect(connectionAuthorization({ authorization: 42 })).toEqual({ refused: 'connectionParams.authorization must be a string: "Bearer <token>"' });
    expect(connectionAuthorization({ headers: { Authorization: ['Bearer abc'] } })).toEqual({ refused: 'connectionParams.headers.Authorization must be a string: "Bearer <token>"' });
  });

  it('given headers that are not an object, when read, then they are refused', () => {
    expect(connectionAuthorization({ headers: 'Authorization: Bearer abc' })).toEqual({ refused: 'connectionParams.headers must be an object' });
    expect(connectionAuthorization({ headers: [BEARER] })).toEqual({ refused: 'connectionParams.headers must be an object' });
  });

  it('given an inherited authorization (a prototype trick), when read, then it is not taken', () => {
    const payload = Object.create({ authorization: BEARER }) as Record<string, unknown>;
    expect(connectionAuthorization(payload)).toEqual({ header: undefined });
    expect(connectionAuthorization(JSON.parse('{"__proto__": {"authorization": "Bearer abc"}}'))).toEqual({ header: undefined });
  });
});
