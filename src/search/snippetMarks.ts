/**
 * The delimiters a search snippet marks its matches with. Message bodies can
 * never contain C0 control characters (src/input/textRules.ts), so these two
 * are unambiguous; a client turns each marked run into a highlight (never by
 * building HTML from the text). No imports: the web app imports this file.
 */
/** U+0002 START OF TEXT: a match begins. */
export const MATCH_START = '\u0002';
/** U+0003 END OF TEXT: a match ends. */
export const MATCH_END = '\u0003';
