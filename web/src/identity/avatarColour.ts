/**
 * A generated avatar's colours, derived from the user id alone, so a person
 * keeps the same colour on every screen and every device. The hue comes from
 * a hash of the id; the lightness is then walked until the initials reach
 * 4.5:1 (WCAG AA for text) on that background: white initials on a deep tone
 * for the light theme, near-black initials on a pale tone for the dark one.
 */
import { memoized } from '../ui/memoized.ts';

export interface AvatarColours {
  /** Background in the light theme; the initials are `lightText` on it. */
  readonly light: string;
  readonly lightText: string;
  /** Background in the dark theme; the initials are `darkText` on it. */
  readonly dark: string;
  readonly darkText: string;
}

/** WCAG AA for normal text. */
export const minimumContrast = 4.5;
const lightText = '#ffffff';
/** The dark theme's `--accent-text`. */
const darkText = '#10131a';

/** FNV-1a, 32 bits: small, stable, and spreads near-identical ids apart. */
export function hashId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Remembered per user: the walk below runs a contrast check per step, and a long list mounts rows again and again. */
export const avatarColours: (userId: string) => AvatarColours = memoized(coloursOf, 1_000);

function coloursOf(userId: string): AvatarColours {
  const hue = hashId(userId) % 360;
  return {
    light: walk(hue, 58, 46, -1, lightText),
    lightText,
    dark: walk(hue, 62, 70, +1, darkText),
    darkText,
  };
}

/** From `start`% lightness, one step at a time, to the first tone on which `text` reads at 4.5:1 (with a small margin for rounding). */
function walk(hue: number, saturation: number, start: number, step: -1 | 1, text: string): string {
  for (let lightness = start; lightness >= 0 && lightness <= 100; lightness += step) {
    const colour = hslToHex(hue, saturation, lightness);
    if (contrastRatio(colour, text) >= minimumContrast + 0.1) return colour;
  }
  return step < 0 ? '#000000' : '#ffffff';
}

export function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio between two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
