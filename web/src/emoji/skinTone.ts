/** The skin tone the picker applies, remembered in localStorage (per browser, like the recent emoji). */
import type { SkinTone } from './emojiIndex.ts';

const storageKey = 'thrds.emojiSkinTone';

export const skinToneSamples: readonly { readonly tone: SkinTone; readonly sample: string; readonly name: string }[] = [
  { tone: 0, sample: '✋', name: 'Default skin tone' },
  { tone: 1, sample: '✋🏻', name: 'Light skin tone' },
  { tone: 2, sample: '✋🏼', name: 'Medium-light skin tone' },
  { tone: 3, sample: '✋🏽', name: 'Medium skin tone' },
  { tone: 4, sample: '✋🏾', name: 'Medium-dark skin tone' },
  { tone: 5, sample: '✋🏿', name: 'Dark skin tone' },
];

export function loadSkinTone(): SkinTone {
  try {
    const stored = Number(localStorage.getItem(storageKey) ?? '0');
    return isSkinTone(stored) ? stored : 0;
  } catch (error) {
    // Storage blocked (private mode): the default tone.
    console.warn('Thrds: cannot read the skin tone', error);
    return 0;
  }
}

export function saveSkinTone(tone: SkinTone): void {
  try {
    localStorage.setItem(storageKey, String(tone));
  } catch (error) {
    console.warn('Thrds: cannot keep the skin tone', error);
  }
}

function isSkinTone(value: number): value is SkinTone {
  return Number.isInteger(value) && value >= 0 && value <= 5;
}
