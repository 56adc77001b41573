/**
 * Validating a Character Card V2 (https://github.com/malfoyslastname/character-card-spec-v2),
 * the JSON people already have for their characters. Strict where a mistake
 * would change what the bot is, helpful where exporters differ:
 *
 * - `spec` must be "chara_card_v2". A V1 card (the fields at the top level, no
 *   `spec`) and a V3 card are refused with a message that says how to convert.
 * - `spec_version` "2.0"; a card without one is read as 2.0 (some exporters
 *   leave it out, and `spec` already names the format).
 * - `data.name` is required and follows the display-name rules (1–64 visible
 *   characters, one line): it becomes the bot's display name. Every other field
 *   is optional; absent or null reads as '' / [] / {}, a wrong type is refused.
 * - Sizes: each text field ≤ 16 KB (UTF-8), ≤ 20 alternate greetings, ≤ 50 tags of
 *   ≤ 64 characters, the whole card ≤ 64 KB. Greetings are posted as messages,
 *   so they also meet the message-body rules (≤ 4,000 characters, no control
 *   characters other than newline and tab).
 * - `extensions` is kept as is (other tools' data lives there).
 * - `character_book` (a lorebook) must be an object when present, and is then
 *   dropped: Thrds has no lorebook, and the card in every BotAdded and
 *   BotCardChanged event should hold only what shapes the bot.
 *
 * Every refusal is a ValidationError whose message starts with the field's
 * path (`data.first_mes must be a string`) and whose details carry it as `field`.
 */
import { ValidationError } from '../errors.ts';
import { LIMITS } from '../input/limitValues.ts';
import { cleanText, codePoints, hasLoneSurrogate, requireVisible } from '../input/textRules.ts';
import type { CharacterCard, CharacterCardData } from './types.ts';

export const CARD_LIMITS = {
  /** The whole card as JSON, in UTF-8 bytes. */
  cardBytes: 64 * 1024,
  /** One text field, in UTF-8 bytes. */
  textBytes: 16 * 1024,
  alternateGreetings: 20,
  tags: 50,
  /** One tag, in code points. */
  tagLength: 64,
} as const;

const TEXT_FIELDS = [
  'description',
  'personality',
  'scenario',
  'mes_example',
  'creator_notes',
  'system_prompt',
  'post_history_instructions',
  'creator',
  'character_version',
] as const;

/** Fields only a character has (V1 TavernAI, or the older Pygmalion names): `name` and `description` alone could be any JSON, a package.json say. */
const V1_FIELDS = ['first_mes', 'mes_example', 'personality', 'scenario', 'char_name', 'char_persona', 'char_greeting', 'world_scenario', 'example_dialogue'];

/** The card in `json`, validated; throws ValidationError naming the field. */
export function parseCharacterCard(json: unknown): CharacterCard {
  const card = object(json, 'the card');
  checkCardSize(card);
  if (card.spec === undefined) {
    if (V1_FIELDS.some((field) => field in card)) {
      throw refuse(
        'spec',
        'spec is missing: this looks like a Character Card V1 (its fields at the top level). Thrds reads V2: ' +
          'put the fields in "data" and add "spec": "chara_card_v2", "spec_version": "2.0" (or export the character as V2 from your editor)',
      );
    }
    throw refuse('spec', 'spec is missing: a Character Card V2 has "spec": "chara_card_v2"');
  }
  if (card.spec === 'chara_card_v3') {
    throw refuse('spec', 'spec is "chara_card_v3": Thrds reads Character Card V2 cards; export the character as V2 (spec "chara_card_v2")');
  }
  if (card.spec !== 'chara_card_v2') throw refuse('spec', `spec must be "chara_card_v2" (got ${describe(card.spec)})`);
  if (card.spec_version !== undefined && card.spec_version !== null && card.spec_version !== '2.0') {
    throw refuse('spec_version', `spec_version must be "2.0" (got ${describe(card.spec_version)})`);
  }
  if (card.data === undefined || card.data === null) throw refuse('data', 'data is missing: a V2 card keeps its fields in "data"');
  return { spec: 'chara_card_v2', spec_version: '2.0', data: parseData(object(card.data, 'data')) };
}

function parseData(data: Record<string, unknown>): CharacterCardData {
  const texts = Object.fromEntries(TEXT_FIELDS.map((field) => [field, text(data[field], `data.${field}`)])) as Record<(typeof TEXT_FIELDS)[number], string>;
  const alternateGreetings = list(data.alternate_greetings, 'data.alternate_greetings', CARD_LIMITS.alternateGreetings).map((value, i) =>
    alternateGreeting(value, `data.alternate_greetings[${i}]`),
  );
  const tags = list(data.tags, 'data.tags', CARD_LIMITS.tags).map((value, i) => tag(value, `data.tags[${i}]`));
  if (data.character_book !== undefined && data.character_book !== null) object(data.character_book, 'data.character_book');
  return {
    name: name(data.name),
    description: texts.description,
    personality: texts.personality,
    scenario: texts.scenario,
    first_mes: greeting(data.first_mes, 'data.first_mes'),
    mes_example: texts.mes_example,
    creator_notes: texts.creator_notes,
    system_prompt: texts.system_prompt,
    post_history_instructions: texts.post_history_instructions,
    alternate_greetings: alternateGreetings,
    tags,
    creator: texts.creator,
    character_version: texts.character_version,
    extensions: data.extensions === undefined || data.extensions === null ? {} : object(data.extensions, 'data.extensions'),
  };
}

function name(value: unknown): string {
  if (value === undefined || value === null) throw refuse('data.name', 'data.name is missing: every character needs a name');
  if (typeof value !== 'string') throw refuse('data.name', `data.name must be a string (got ${describe(value)})`);
  try {
    const cleaned = cleanText('displayName', value).trim();
    const n = codePoints(cleaned);
    const { min, max } = LIMITS.displayName;
    if (n < min || n > max) throw refuse('data.name', `data.name must be ${min}–${max} characters after trimming (got ${n})`);
    return requireVisible('displayName', cleaned);
  } catch (error) {
    if (error instanceof ValidationError && error.details.field === 'displayName') {
      throw new ValidationError(error.message.replace(/^displayName/, 'data.name'), { ...error.details, field: 'data.name' });
    }
    throw error;
  }
}

/** An optional text field: '' when absent. */
function text(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw refuse(field, `${field} must be a string (got ${describe(value)})`);
  if (hasLoneSurrogate(value)) throw refuse(field, `${field} must not contain a lone surrogate`);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > CARD_LIMITS.textBytes) throw refuse(field, `${field} must be at most ${CARD_LIMITS.textBytes / 1024} KB (got ${bytes} bytes)`);
  return value;
}

/** A greeting is posted as the bot's message: the body's rules apply (checked again, after {{user}} is filled, when posted). */
function greeting(value: unknown, field: string): string {
  const greetingText = text(value, field);
  if (greetingText === '') return '';
  const control = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.exec(greetingText.replace(/\r\n?/g, '\n'));
  if (control) throw refuse(field, `${field} must not contain control characters other than newline and tab (U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  const n = codePoints(greetingText.trim());
  if (n > LIMITS.body.max) throw refuse(field, `${field} must be at most ${LIMITS.body.max} characters: it is posted as a message (got ${n})`);
  return greetingText.replace(/\r\n?/g, '\n');
}

/** One of the greetings the bot may choose from: unlike first_mes, it cannot be absent or blank. */
function alternateGreeting(value: unknown, field: string): string {
  if (typeof value !== 'string') throw refuse(field, `${field} must be a string (got ${describe(value)})`);
  const greetingText = greeting(value, field);
  if (greetingText.trim() === '') throw refuse(field, `${field} must not be blank`);
  return greetingText;
}

function tag(value: unknown, field: string): string {
  if (typeof value !== 'string') throw refuse(field, `${field} must be a string (got ${describe(value)})`);
  const trimmed = value.trim();
  if (hasLoneSurrogate(trimmed) || /[\u0000-\u001F\u007F-\u009F]/.test(trimmed)) throw refuse(field, `${field} must be one line of text`);
  const n = codePoints(trimmed);
  if (n < 1 || n > CARD_LIMITS.tagLength) throw refuse(field, `${field} must be 1–${CARD_LIMITS.tagLength} characters (got ${n})`);
  return trimmed;
}

function list(value: unknown, field: string, max: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw refuse(field, `${field} must be an array (got ${describe(value)})`);
  if (value.length > max) throw refuse(field, `${field} must have at most ${max} entries (got ${value.length})`);
  return value;
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse(field, `${field} must be a JSON object (got ${describe(value)})`);
  return value as Record<string, unknown>;
}

function checkCardSize(card: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > CARD_LIMITS.cardBytes) throw refuse('the card', `the card must be at most ${CARD_LIMITS.cardBytes / 1024} KB as JSON (got ${bytes} bytes)`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function refuse(field: string, message: string): ValidationError {
  return new ValidationError(message, { field });
}

/**
 * A username (3–32 of a-z, 0-9 and _) for a character called `name`:
 * lowercased, accents dropped, every other character an underscore (runs
 * collapsed, none at the ends). Too short gets `_bot`; a name with no Latin
 * letters or digits at all gets `bot_` and a hash of the name, so it stays the
 * same for the same name.
 */
export function usernameFor(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, LIMITS.username.max)
    .replace(/_$/, '');
  if (base === '') return `bot_${fnv1a(name)}`;
  if (base.length < LIMITS.username.min) return `${base}_bot`;
  return base;
}

/** 32-bit FNV-1a of the string's UTF-16 units, as 8 hex digits. */
function fnv1a(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
