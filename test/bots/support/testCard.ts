/** A valid Character Card V2 for tests, every field present; `data` overrides any of them. */
import type { CharacterCard } from '../../../src/bots/types.ts';

export function testCard(data: Partial<CharacterCard['data']> = {}): CharacterCard {
  return {
    spec: 'chara_card_v2',
    spec_version: '2.0',
    data: {
      name: 'Pip',
      description: 'A cheerful kettle who lives in the team chat.',
      personality: 'warm, brief',
      scenario: '',
      first_mes: 'Hello {{user}}, {{char}} here. Tea?',
      mes_example: '',
      creator_notes: '',
      system_prompt: '',
      post_history_instructions: '',
      alternate_greetings: [],
      tags: [],
      creator: 'Thrds tests',
      character_version: '1',
      extensions: {},
      ...data,
    },
  };
}
