/**
 * The web client's pure rules for presence and typing: the "is typing" line
 * and how often the composer tells the server the viewer is typing.
 */
import { describe, expect, it } from 'vitest';
import { typingText } from '../../web/src/presence/typingText.ts';
import { createTypingReporter } from '../../web/src/presence/typingReporter.ts';

describe('the typing line', () => {
  it('says nothing when nobody is typing', () => {
    expect(typingText([])).toBeNull();
  });

  it('names one, two or three people', () => {
    expect(typingText(['Alice'])).toBe('Alice is typing…');
    expect(typingText(['Alice', 'Bob'])).toBe('Alice and Bob are typing…');
    expect(typingText(['Alice', 'Bob', 'Carol'])).toBe('Alice, Bob and Carol are typing…');
  });

  it('names the first two and counts the rest beyond three', () => {
    expect(typingText(['Alice', 'Bob', 'Carol', 'Dan'])).toBe('Alice, Bob and 2 others are typing…');
    expect(typingText(['Alice', 'Bob', 'Carol', 'Dan', 'Eve'])).toBe('Alice, Bob and 3 others are typing…');
  });
});

function reporterAt(start = 0) {
  let now = start;
  const said: boolean[] = [];
  const reporter = createTypingReporter({ report: (typing) => said.push(typing), now: () => now });
  return { reporter, said, advance: (ms: number) => (now += ms) };
}

describe('telling the server the viewer is typing', () => {
  it('given an idle composer, when the viewer types, then "typing" goes out at once', () => {
    const { reporter, said } = reporterAt();
    reporter.changed('h');
    expect(said).toEqual([true]);
  });

  it('given "typing" was said, when keystrokes follow within 3 s, then nothing more is sent', () => {
    const { reporter, said, advance } = reporterAt();
    reporter.changed('h');
    for (const text of ['he', 'hel', 'hell', 'hello']) {
      advance(500);
      reporter.changed(text);
    }
    expect(said).toEqual([true]);
  });

  it('given the viewer keeps typing, then "typing" is renewed every 3 s, before the server forgets it at 6 s', () => {
    const { reporter, said, advance } = reporterAt();
    let text = '';
    for (let i = 0; i < 20; i++) {
      text += 'x';
      reporter.changed(text);
      advance(400);
    }
    // 8 s of typing: said at 0, 3.2 and 6.4 s.
    expect(said).toEqual([true, true, true]);
  });

  it('given "typing" was said, when the box is cleared, then "stopped" goes out once', () => {
    const { reporter, said } = reporterAt();
    reporter.changed('hi');
    reporter.changed('   ');
    reporter.changed('');
    reporter.stopped();
    expect(said).toEqual([true, false]);
  });

  it('given nothing was said, when the viewer leaves the composer, then nothing is sent', () => {
    const { reporter, said } = reporterAt();
    reporter.stopped();
    reporter.changed('');
    expect(said).toEqual([]);
  });

  it('given the viewer sent and starts again at once, then "typing" goes out again without waiting', () => {
    const { reporter, said, advance } = reporterAt();
    reporter.changed('one');
    reporter.stopped();
    advance(100);
    reporter.changed('t');
    expect(said).toEqual([true, false, true]);
  });
});
