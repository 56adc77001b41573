/**
 * The viewer's theme: follow the system, or always light, or always dark.
 * Kept in localStorage under `thrds.theme` (absent means "system"), read
 * before the first paint by web/public/theme.js, which must agree with
 * `parseTheme` here.
 */

export type ThemePreference = 'system' | 'light' | 'dark';

export const themeStorageKey = 'thrds.theme';

export const themePreferences: readonly ThemePreference[] = ['system', 'light', 'dark'];

/** Anything stored (or nothing) as a preference: unknown values mean "system". */
export function parseTheme(stored: string | null | undefined): ThemePreference {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** What goes in `<html data-theme>`: nothing for "system", so the stylesheet follows prefers-color-scheme. */
export function themeAttribute(preference: ThemePreference): 'light' | 'dark' | null {
  return preference === 'system' ? null : preference;
}
