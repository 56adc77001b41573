/** Small random edits to a text (a JSON message, a GraphQL document): what a broken or hostile client sends. */
import type { Random } from './random.ts';

/** Characters that break parsers: structure, quotes, escapes, controls, invalid UTF-16, bidi, huge code points. */
export const NASTY = ['{', '}', '[', ']', '(', ')', '"', "'", '\\', ':', ',', '$', '@', '...', '#', '\n', '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\ud800', '\udfff', '\u202e', '\u2066', '\ufeff', '\u200b', '\uffff', '😀', 'é', '1e999', '-0', 'null', '__proto__'];

export function mutateText(random: Random, text: string): string {
  let out = text;
  const edits = random.int(1, 4);
  for (let e = 0; e < edits; e++) {
    const at = random.int(0, out.length);
    switch (random.int(0, 5)) {
      case 0: // delete a run
        out = out.slice(0, at) + out.slice(at + random.int(1, 8));
        break;
      case 1: // insert nasty characters
        out = out.slice(0, at) + random.pick(NASTY).repeat(random.size(50)) + out.slice(at);
        break;
      case 2: {
        // duplicate a run
        const end = Math.min(out.length, at + random.int(1, 40));
        out = out.slice(0, end) + out.slice(at, end).repeat(random.size(200)) + out.slice(end);
        break;
      }
      case 3: // truncate
        out = out.slice(0, at);
        break;
      case 4: // replace one character
        out = out.slice(0, at) + random.pick(NASTY) + out.slice(at + 1);
        break;
      default: // swap two halves
        out = out.slice(at) + out.slice(0, at);
    }
  }
  return out;
}
