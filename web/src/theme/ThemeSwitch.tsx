/**
 * The theme control in the header: a three-way segmented control (System,
 * Light, Dark) built on native radio buttons, so arrow keys move between the
 * options and screen readers hear "Theme, radio group"; on a phone, where
 * three targets do not fit, a one-icon native select instead (styles.css
 * shows one or the other). The choice is applied at once, remembered, and
 * followed by the app's other tabs.
 */
import { useEffect, useId, useState } from 'react';
import { applyTheme, loadTheme, saveTheme } from './applyTheme.ts';
import { parseTheme, themePreferences, themeStorageKey, type ThemePreference } from './themePreference.ts';

const labels: Readonly<Record<ThemePreference, { readonly icon: string; readonly name: string }>> = {
  system: { icon: '◐', name: 'System theme' },
  light: { icon: '☀', name: 'Light theme' },
  dark: { icon: '☾', name: 'Dark theme' },
};

export function ThemeSwitch() {
  const [theme, setTheme] = useState<ThemePreference>(loadTheme);
  const name = useId();

  useEffect(() => {
    // web/public/theme.js has done this before the first paint; again here in case that script did not load.
    applyTheme(loadTheme());
    const onStorage = (event: StorageEvent) => {
      if (event.key === themeStorageKey || event.key === null) {
        const next = parseTheme(event.newValue);
        applyTheme(next);
        setTheme(next);
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const choose = (next: ThemePreference) => {
    setTheme(next);
    saveTheme(next);
    applyTheme(next);
  };

  const current = labels[theme];
  return (
    <>
      <fieldset className="theme-switch">
        <legend className="visually-hidden">Theme</legend>
        {themePreferences.map((option) => (
          <label key={option} className="theme-option" title={labels[option].name} data-theme-option={option}>
            <input
              type="radio"
              className="visually-hidden"
              name={name}
              value={option}
              checked={theme === option}
              onChange={() => choose(option)}
            />
            <span aria-hidden="true">{labels[option].icon}</span>
            <span className="visually-hidden">{labels[option].name}</span>
          </label>
        ))}
      </fieldset>
      {/* On a phone the three options do not fit the header: the current one's icon, over a native select that opens the system's picker. */}
      <span className="theme-menu" title={current.name}>
        <span aria-hidden="true">{current.icon}</span>
        <select aria-label="Theme" value={theme} onChange={(e) => choose(parseTheme(e.target.value))}>
          {themePreferences.map((option) => (
            <option key={option} value={option}>
              {labels[option].name}
            </option>
          ))}
        </select>
      </span>
    </>
  );
}
