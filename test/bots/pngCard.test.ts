/**
 * PNG character cards (pngCard.ts through cardFile.ts's parseCardText): the
 * card in the `chara` tEXt chunk is read and validated like a JSON card,
 * non-ASCII text included; `chara` wins over `ccv3`; a V3-only PNG gets the
 * V3 refusal; a PNG with no card, a damaged one and a chunk that is not
 * base64 are refused with one line naming the file.
 */
import { describe, expect, it } from 'vitest';
import { CardFileError, parseCardText } from '../../src/bots/cardFile.ts';
import { cardChunk, pngWith, textChunk } from './support/pngCardFile.ts';
import { testCard } from './support/testCard.ts';

const refusal = (bytes: Buffer): string => {
  try {
    parseCardText(bytes, 'card.png');
  } catch (error) {
    expect(error).toBeInstanceOf(CardFileError);
    return (error as Error).message;
  }
  throw new Error('the card was taken');
};

describe('PNG character cards', () => {
  it('reads the card in the chara chunk, as a JSON card would be read', async () => {
    const card = testCard({ name: 'Zoë Ünal', first_mes: 'Grüß dich, {{user}} ☕' });
    const parsed = parseCardText(await pngWith(textChunk('Software', 'an editor'), cardChunk(card)), 'card.png');
    expect(parsed.data.name).toBe('Zoë Ünal');
    expect(parsed.data.first_mes).toBe('Grüß dich, {{user}} ☕');
    expect(parsed).toEqual(parseCardText(Buffer.from(JSON.stringify(card)), 'card.json'));
  });

  it('prefers chara (V2) over ccv3, and refuses a PNG with only a V3 card as a V3 card', async () => {
    const v3 = { ...testCard({ name: 'Three' }), spec: 'chara_card_v3', spec_version: '3.0' };
    expect(parseCardText(await pngWith(cardChunk(v3, 'ccv3'), cardChunk(testCard({ name: 'Two' }))), 'card.png').data.name).toBe('Two');
    expect(refusal(await pngWith(cardChunk(v3, 'ccv3')))).toMatch(/^card\.png: spec is "chara_card_v3"/);
  });

  it('refuses a PNG with no card, a damaged one, and a chunk that is not base64, naming the file', async () => {
    expect(refusal(await pngWith(textChunk('Comment', 'just a picture')))).toBe('card.png: is a PNG with no character card in it (no tEXt chunk "chara")');
    const whole = await pngWith(cardChunk(testCard()));
    expect(refusal(whole.subarray(0, 60))).toMatch(/^card\.png: is a damaged PNG: the "tEXt" chunk at byte 33 runs past the end$/);
    expect(refusal(whole.subarray(0, 6))).toMatch(/^card\.png: is not a whole PNG file/);
    expect(refusal(await pngWith(textChunk('chara', 'not base64 at all!')))).toBe('card.png: is a PNG whose "chara" chunk is not base64');
    // Base64 of something that is not JSON: the JSON card's own refusal.
    expect(refusal(await pngWith(textChunk('chara', Buffer.from('hello').toString('base64'))))).toMatch(/^card\.png: is not JSON/);
  });
});
