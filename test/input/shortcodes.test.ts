/** `:shortcode:` → emoji (input/shortcodes.ts): what converts, what stays as typed, and code in markdown, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { withEmoji } from '../../src/input/shortcodes.ts';

const md = (text: string) => withEmoji(text, 'markdown');
const plain = (text: string) => withEmoji(text, 'plain');

describe('withEmoji', () => {
  it('given known shortcodes of either set, when converted, then each is its emoji (the one reactions store)', () => {
    expect(md('Shipped :tada: :+1: :-1: :100: :thumbsup: :heart:')).toBe('Shipped 🎉 👍 👎 💯 👍 ❤️');
    expect(plain(':tada:')).toBe('🎉');
  });

  it('given unknown or upper-case names, when converted, then they stay as typed', () => {
    expect(md(':nope: :tada_not_really: :TADA: :Tada:')).toBe(':nope: :tada_not_really: :TADA: :Tada:');
  });

  it('given times, ratios, ports and double colons, when converted, then nothing changes', () => {
    for (const text of ['at 12:30:45', 'ratio 1:100:1', '10:100:', 'localhost:8080:ok', 'std::ok::value', 'a::tada::b', '::tada::', '::', ':::', ': tada :', ':tada']) {
      expect(md(text), text).toBe(text);
    }
  });

  it('given shortcodes side by side, when converted, then each is converted', () => {
    expect(md(':tada::tada:')).toBe('🎉🎉');
    expect(md(':+1::-1::100:')).toBe('👍👎💯');
    expect(md('(:tada:)')).toBe('(🎉)');
    expect(md('🎉:tada:')).toBe('🎉🎉');
    expect(md('*:tada:* _:tada:_ **:tada:**')).toBe('*🎉* _🎉_ **🎉**');
    expect(md('done:\n:tada:')).toBe('done:\n🎉');
  });

  it('given a shortcode joined to a word, or escaped with a backslash, when converted, then it stays', () => {
    expect(md('word:tada: :tada:s 5:tada: \\:tada:')).toBe('word:tada: :tada:s 5:tada: \\:tada:');
  });

  it('given URLs, when converted, then shortcodes in them stay and those beside them convert', () => {
    expect(md('see http://host:8080/:tada:/x and www.example.com/:tada: then :tada:')).toBe('see http://host:8080/:tada:/x and www.example.com/:tada: then 🎉');
    expect(md('[party](https://example.com/:tada:) :tada:')).toBe('[party](https://example.com/:tada:) 🎉');
  });

  it('given markdown code spans and fenced blocks, when converted, then what is inside stays and what is around converts', () => {
    expect(md('`:tada:` :tada: ``a ` :tada:`` :tada:')).toBe('`:tada:` 🎉 ``a ` :tada:`` 🎉');
    expect(md(':tada:\n```js\nconst x = ":tada:";\n```\n:tada:\n~~~\n:tada:\n')).toBe('🎉\n```js\nconst x = ":tada:";\n```\n🎉\n~~~\n:tada:\n');
  });

  it('given an unmatched backtick, or one escaped, when converted, then it is text and what follows converts', () => {
    expect(md('a stray ` :tada:')).toBe('a stray ` 🎉');
    expect(md('\\`:tada:` :tada:')).toBe('\\`🎉` 🎉');
  });

  it('given a backtick before a blank line, when converted, then it cannot make the next paragraph code', () => {
    expect(md('a ` b\n\n:tada: ` c')).toBe('a ` b\n\n🎉 ` c');
  });

  it('given plain text, when converted, then code is not special: everything converts', () => {
    expect(plain('`:tada:`\n```\n:tada:\n```')).toBe('`🎉`\n```\n🎉\n```');
  });

  it('given CRLF line breaks, when converted, then they are kept', () => {
    expect(md(':tada:\r\n```\r\n:tada:\r\n```\r\n:tada:')).toBe('🎉\r\n```\r\n:tada:\r\n```\r\n🎉');
  });

  it('given text with no colon, when converted, then the same string comes back', () => {
    const text = 'nothing to do';
    expect(md(text)).toBe(text);
  });

  it('given a megabyte of adversarial text, when converted, then it takes linear time', () => {
    const inputs = ['`'.repeat(1) + ' `` '.repeat(200_000), ':a'.repeat(500_000), 'a.'.repeat(500_000) + '://', ':tada:'.repeat(170_000), '```\n'.repeat(250_000)];
    for (const text of inputs) {
      const started = performance.now();
      md(text);
      plain(text);
      expect(performance.now() - started, text.slice(0, 20)).toBeLessThan(2_000);
    }
  });
});
