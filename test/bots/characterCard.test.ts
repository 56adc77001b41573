/** Character Card V2 validation: what is accepted, what is refused and how the refusal names the field. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CARD_LIMITS, parseCharacterCard, usernameFor } from '../../src/bots/characterCard.ts';
import { ValidationError } from '../../src/errors.ts';
import { isUsername } from '../../src/input/limits.ts';

const minimal = (data: Record<string, unknown> = {}): Record<string, unknown> => ({
  spec: 'chara_card_v2',
  spec_version: '2.0',
  data: { name: 'Ada', ...data },
});

/** The refusal's message (fails the test when the card is accepted). */
function refusal(json: unknown): ValidationError {
  try {
    parseCharacterCard(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('the card was accepted');
}

describe('parseCharacterCard', () => {
  it('given a card with only a name, when parsed, then every absent field reads as empty', () => {
    expect(parseCharacterCard(minimal())).toEqual({
      spec: 'chara_card_v2',
      spec_version: '2.0',
      data: {
        name: 'Ada',
        description: '',
        personality: '',
        scenario: '',
        first_mes: '',
        mes_example: '',
        creator_notes: '',
        system_prompt: '',
        post_history_instructions: '',
        alternate_greetings: [],
        tags: [],
        creator: '',
        character_version: '',
        extensions: {},
      },
    });
  });

  it('given a full card, when parsed, then its fields are kept, extensions as they were, and the character book and unknown keys dropped', () => {
    const card = parseCharacterCard(
      minimal({
        name: '  Ada Lovelace ',
        description: 'A mathematician.',
        first_mes: 'Hello,\r\n{{user}}!',
        alternate_greetings: ['Hi', 'Hey'],
        tags: [' math ', 'history'],
        extensions: { depth_prompt: { depth: 4, prompt: 'x' }, thrds: { username: 'ada' } },
        character_book: { entries: [] },
        unknown_field: 1,
      }),
    );
    expect(card.data.name).toBe('Ada Lovelace');
    expect(card.data.first_mes).toBe('Hello,\n{{user}}!');
    expect(card.data.alternate_greetings).toEqual(['Hi', 'Hey']);
    expect(card.data.tags).toEqual(['math', 'history']);
    expect(card.data.extensions).toEqual({ depth_prompt: { depth: 4, prompt: 'x' }, thrds: { username: 'ada' } });
    expect(Object.keys(card.data)).not.toContain('character_book');
    expect(Object.keys(card.data)).not.toContain('unknown_field');
  });

  it('given a card without spec_version, or with nulls for optional fields, when parsed, then it is accepted', () => {
    const card = parseCharacterCard({ spec: 'chara_card_v2', data: { name: 'Ada', creator_notes: null, tags: null, extensions: null, character_book: null } });
    expect([card.spec_version, card.data.creator_notes, card.data.tags, card.data.extensions]).toEqual(['2.0', '', [], {}]);
  });

  it.each([
    ['a number for first_mes', minimal({ first_mes: 3 }), 'data.first_mes', /^data\.first_mes must be a string/],
    ['an object for description', minimal({ description: {} }), 'data.description', /^data\.description must be a string \(got an object\)/],
    ['no name', { spec: 'chara_card_v2', data: {} }, 'data.name', /^data\.name is missing/],
    ['a blank name', minimal({ name: '   ' }), 'data.name', /^data\.name must be 1–64 characters/],
    ['an invisible name', minimal({ name: '\u200b' }), 'data.name', /^data\.name must contain at least one visible character/],
    ['a name of 65 characters', minimal({ name: 'a'.repeat(65) }), 'data.name', /^data\.name must be 1–64 characters after trimming \(got 65\)/],
    ['a name with a newline', minimal({ name: 'Ada\nLovelace' }), 'data.name', /^data\.name must not contain control characters/],
    ['a string for tags', minimal({ tags: 'a,b' }), 'data.tags', /^data\.tags must be an array/],
    ['a number among the tags', minimal({ tags: ['a', 2] }), 'data.tags[1]', /^data\.tags\[1\] must be a string/],
    ['51 tags', minimal({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }), 'data.tags', /^data\.tags must have at most 50 entries/],
    ['a tag of 65 characters', minimal({ tags: ['x'.repeat(65)] }), 'data.tags[0]', /^data\.tags\[0\] must be 1–64 characters/],
    ['21 alternate greetings', minimal({ alternate_greetings: Array.from({ length: 21 }, () => 'hi') }), 'data.alternate_greetings', /at most 20 entries/],
    ['a greeting that is not a string', minimal({ alternate_greetings: ['hi', null] }), 'data.alternate_greetings[1]', /^data\.alternate_greetings\[1\] must be a string \(got null\)/],
    ['a blank alternate greeting', minimal({ alternate_greetings: [' '] }), 'data.alternate_greetings[0]', /^data\.alternate_greetings\[0\] must not be blank/],
    ['a greeting too long to post', minimal({ first_mes: 'x'.repeat(4001) }), 'data.first_mes', /^data\.first_mes must be at most 4000 characters: it is posted as a message/],
    ['a greeting with a control character', minimal({ first_mes: 'hi\u0007' }), 'data.first_mes', /^data\.first_mes must not contain control characters other than newline and tab \(U\+0007\)/],
    ['a text field over 16 KB', minimal({ description: 'é'.repeat(8193) }), 'data.description', /^data\.description must be at most 16 KB \(got 16386 bytes\)/],
    ['a lone surrogate', minimal({ scenario: 'a\ud800b' }), 'data.scenario', /^data\.scenario must not contain a lone surrogate/],
    ['an array for extensions', minimal({ extensions: [] }), 'data.extensions', /^data\.extensions must be a JSON object \(got an array\)/],
    ['a string for the character book', minimal({ character_book: 'x' }), 'data.character_book', /^data\.character_book must be a JSON object/],
    ['an array for data', { spec: 'chara_card_v2', data: [] }, 'data', /^data must be a JSON object/],
    ['no data', { spec: 'chara_card_v2' }, 'data', /^data is missing/],
    ['another spec', { spec: 'tavern', data: { name: 'Ada' } }, 'spec', /^spec must be "chara_card_v2" \(got "tavern"\)/],
    ['spec_version 3.0', { spec: 'chara_card_v2', spec_version: '3.0', data: { name: 'Ada' } }, 'spec_version', /^spec_version must be "2\.0" \(got "3\.0"\)/],
    ['a V3 card', { spec: 'chara_card_v3', spec_version: '3.0', data: { name: 'Ada' } }, 'spec', /chara_card_v3.*export the character as V2/],
    ['a V1 card', { name: 'Ada', description: 'x', first_mes: 'hi' }, 'spec', /Character Card V1.*put the fields in "data" and add "spec": "chara_card_v2"/],
    ['a package.json', { name: 'thrds', description: 'chat', version: '1.0.0' }, 'spec', /^spec is missing: a Character Card V2 has "spec": "chara_card_v2"/],
    ['an empty object', {}, 'spec', /^spec is missing: a Character Card V2 has "spec": "chara_card_v2"/],
    ['an array', [], 'the card', /^the card must be a JSON object \(got an array\)/],
    ['a string', 'card', 'the card', /^the card must be a JSON object/],
  ])('given %s, when parsed, then it is refused naming the field', (_what, json, field, message) => {
    const error = refusal(json);
    expect(error.message).toMatch(message);
    expect(error.details.field).toBe(field);
    expect(error.code).toBe('BAD_USER_INPUT');
  });

  it('given a card over 64 KB as a whole though every field is within its own limit, when parsed, then it is refused for its size', () => {
    const big = 'x'.repeat(15 * 1024);
    const error = refusal(minimal({ description: big, personality: big, scenario: big, mes_example: big, creator_notes: big }));
    expect(error.message).toMatch(/^the card must be at most 64 KB as JSON/);
    expect(CARD_LIMITS.cardBytes).toBe(65_536);
  });

  it('given the example character shipped in examples/characters, when parsed, then it is a full valid card by Thrds', () => {
    const card = parseCharacterCard(JSON.parse(readFileSync(new URL('../../examples/characters/ottilie.json', import.meta.url), 'utf8')));
    expect(card.data.name).toBe('Ottilie');
    expect(card.data.creator).toBe('Thrds');
    expect(card.data.alternate_greetings).toHaveLength(2);
    expect(card.data.mes_example).toContain('<START>');
    for (const field of ['description', 'personality', 'scenario', 'first_mes', 'creator_notes', 'system_prompt', 'post_history_instructions'] as const) {
      expect(card.data[field], field).not.toBe('');
    }
    expect(card.data.tags.length).toBeGreaterThan(0);
    expect(card.data.extensions).toEqual({ thrds: { username: 'ottilie' } });
  });
});

describe('usernameFor', () => {
  it.each([
    ['Ada', 'ada'],
    ['Ada Lovelace', 'ada_lovelace'],
    ['  Captain  Rook!! ', 'captain_rook'],
    ['Zoë Ångström', 'zoe_angstrom'],
    ['R2', 'r2_bot'],
    ['a'.repeat(40), 'a'.repeat(32)],
    [`${'a'.repeat(31)} b`, 'a'.repeat(31)],
    ['Mr. O\'Brien-Smith', 'mr_o_brien_smith'],
  ])('given the name %j, when a username is derived, then it is %j', (name, username) => {
    expect(usernameFor(name)).toBe(username);
  });

  it('given a name with no Latin letters or digits, when a username is derived, then it is bot_ and a stable hash, valid and different per name', () => {
    const first = usernameFor('李小龙');
    expect(first).toMatch(/^bot_[0-9a-f]{8}$/);
    expect(usernameFor('李小龙')).toBe(first);
    expect(usernameFor('王小明')).not.toBe(first);
  });

  it('given any name, when a username is derived, then it is a valid username', () => {
    for (const name of ['Ada', 'x', '🙂', '___', 'A B C D E F G H I J K L M N O P Q R S T', 'Ottilie', 'Élise-Marie de la Tour d\'Auvergne et de Bouillon']) {
      expect(isUsername(usernameFor(name)), name).toBe(true);
    }
  });
});
