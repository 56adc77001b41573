/** markRead's rule, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { decideMarkRead } from '../../src/unread/markRead.ts';

const threadId = 'a0000000-0000-4000-8000-00000000000a';

describe('decideMarkRead', () => {
  const facts = { head: 10, threadExists: true };
  it('given a position up to the head in an existing thread, when marking, then it is accepted', () => {
    expect(decideMarkRead({ threadId, position: 10 }, facts)).toEqual({ threadId, position: 10 });
  });
  it('given a position beyond the head, when marking, then it is BAD_USER_INPUT', () => {
    expect(() => decideMarkRead({ threadId, position: 11 }, facts)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
  it('given no such thread, or an id that is not a UUID, when marking, then it is NOT_FOUND or BAD_USER_INPUT', () => {
    expect(() => decideMarkRead({ threadId, position: 1 }, { head: 10, threadExists: false })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideMarkRead({ threadId: 'nope', position: 1 }, facts)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
