/**
 * Puts a theme preference on the page and in storage: `<html data-theme>`
 * (styles.css keys its colours on it) and the browser's theme-color, which
 * otherwise follows the system's scheme.
 */
import { parseTheme, themeAttribute, themeStorageKey, type ThemePreference } from './themePreference.ts';

/** The page background of each theme, as index.html's theme-color metas give it. */
const themeColours = { light: '#f7f7f5', dark: '#16181d' } as const;

export function applyTheme(preference: ThemePreference, root: HTMLElement = document.documentElement): void {
  const attribute = themeAttribute(preference);
  if (attribute) root.dataset['theme'] = attribute;
  else delete root.dataset['theme'];
  for (const meta of document.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"]')) {
    const scheme = meta.media.includes('dark') ? 'dark' : 'light';
    meta.content = themeColours[attribute ?? scheme];
  }
}

export function loadTheme(): ThemePreference {
  try {
    return parseTheme(localStorage.getItem(themeStorageKey));
  } catch {
    return 'system'; // storage blocked (a privacy setting): the system's scheme is the honest default
  }
}

export function saveTheme(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(themeStorageKey);
    else localStorage.setItem(themeStorageKey, preference);
  } catch {
    // Storage blocked: the choice still holds for this page, it just is not remembered.
  }
}
