/**
 * What a bot says when it is invited to a thread: its card's first_mes or
 * one of its alternate greetings, chosen by the invitation's event id (so a
 * re-run after a crash picks the same one), placeholders filled. No model
 * is asked: a greeting is written by the card's author.
 */
import { createHash } from 'node:crypto';
import { fillPlaceholders, placeholderName } from './placeholders.ts';
import type { CharacterCard } from './types.ts';

/** The greeting for the invitation `eventId`; null when the card has none. */
export function greetingFor(card: CharacterCard, eventId: string, userName: string): string | null {
  const choices = [card.data.first_mes, ...card.data.alternate_greetings].filter((text) => text.trim() !== '');
  if (choices.length === 0) return null;
  const pick = createHash('sha256').update(eventId).digest().readUInt32BE(0) % choices.length;
  const text = fillPlaceholders(choices[pick]!, { char: card.data.name, user: placeholderName(userName) }).trim();
  return text === '' ? null : text;
}
