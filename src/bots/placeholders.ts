/**
 * The card spec's placeholders: `{{char}}` is the character's name and
 * `{{user}}` the person it talks to, matched case-insensitively as the spec's
 * front ends do, with the legacy TavernAI spellings `<BOT>`, `<CHAR>` and
 * `<USER>`. One pass: a name that itself reads `{{char}}` is not filled again.
 */

export interface PlaceholderNames {
  readonly char: string;
  readonly user: string;
}

const PLACEHOLDER = /\{\{(char|user)\}\}|<(BOT|CHAR|USER)>/gi;

/** Most characters of a name that goes into card text (a display name's own limit). */
export const PLACEHOLDER_NAME_MAX = 64;

export function fillPlaceholders(text: string, names: PlaceholderNames): string {
  return text.replace(PLACEHOLDER, (_match, braced: string | undefined, legacy: string | undefined) => {
    const which = (braced ?? legacy ?? '').toLowerCase();
    return which === 'user' ? names.user : names.char;
  });
}

/**
 * A person's name as card text may hold it: one line (any run of whitespace,
 * newlines included, becomes one space), trimmed, at most 64 characters, so
 * a name can neither start a new line of instructions nor flood the prompt.
 */
export function placeholderName(name: string): string {
  const oneLine = name.replace(/\s+/gu, ' ').trim();
  return Array.from(oneLine).slice(0, PLACEHOLDER_NAME_MAX).join('').trim();
}
