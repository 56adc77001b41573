/**
 * The web client's pure rules for opening a thread at one message: when it
 * is loaded, when another older page is needed, when it cannot be in this
 * thread, and the address of a message.
 */
import { describe, expect, it } from 'vitest';
import { jumpNote, nextJumpStep } from '../../web/src/search/jumpState.ts';
import { messagePath, parseMessageRoute } from '../../web/src/search/messageRoute.ts';

const loaded = [
  { id: 'm10', position: '10' },
  { id: 'm12', position: '12' },
  { id: 'm15', position: '15' },
];

describe('jumping to a message', () => {
  it('given the message is loaded, then it is found without loading anything', () => {
    expect(nextJumpStep(loaded, 'm12', '12', true)).toBe('found');
  });

  it('given the message is older than the oldest loaded one and there are older pages, then another page is loaded', () => {
    expect(nextJumpStep(loaded, 'm3', '3', true)).toBe('load-older');
  });

  it('given its position is unknown and there are older pages, then another page is loaded', () => {
    expect(nextJumpStep(loaded, 'm3', null, true)).toBe('load-older');
  });

  it('given the start of the thread is loaded and the message is not there, then it is missing', () => {
    expect(nextJumpStep(loaded, 'm3', '3', false)).toBe('missing');
    expect(nextJumpStep([], 'm3', null, false)).toBe('missing');
  });

  it('given its position lies within the loaded range but it is not there (another thread), then older pages are not loaded for it', () => {
    expect(nextJumpStep(loaded, 'elsewhere', '11', true)).toBe('missing');
    expect(nextJumpStep(loaded, 'elsewhere', '10', true)).toBe('missing');
  });

  it('compares positions as numbers, not as text (9 is older than 10)', () => {
    expect(nextJumpStep(loaded, 'm9', '9', true)).toBe('load-older');
  });

  it('has a note for every state, and the missing one does not blame the reader', () => {
    expect(jumpNote('loading')).toMatch(/Loading/);
    expect(jumpNote('found')).toMatch(/Showing/);
    expect(jumpNote('missing')).toMatch(/no longer here/);
  });
});

describe('the address of a message', () => {
  it('round-trips a thread and message id, escaping what needs escaping', () => {
    const path = messagePath('t 1/x', 'm?2');
    expect(path).toBe('/t/t%201%2Fx/m/m%3F2');
    expect(parseMessageRoute(path)).toEqual({ threadId: 't 1/x', messageId: 'm?2' });
  });

  it('accepts a trailing slash and refuses anything else', () => {
    expect(parseMessageRoute('/t/a/m/b/')).toEqual({ threadId: 'a', messageId: 'b' });
    expect(parseMessageRoute('/t/a')).toBeNull();
    expect(parseMessageRoute('/t/a/m/')).toBeNull();
    expect(parseMessageRoute('/t/a/m/b/c')).toBeNull();
    expect(parseMessageRoute('/t/%zz/m/b')).toBeNull();
  });
});
