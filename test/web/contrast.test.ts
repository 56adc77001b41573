/**
 * The colour pairs of web/src/styles.css, computed from its custom
 * properties in light and dark (WCAG 2 relative luminance): text at 4.5:1,
 * field borders, focus rings and the accent at 3:1 (WCAG 1.4.11) against
 * every surface they are drawn on. axe checks text in the browser; borders
 * and rings are not text, so they are checked here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(process.cwd(), 'web/src/styles.css'), 'utf8');

/** The custom properties declared in the first block that starts with `selector` (`--name: #rrggbb;` only). */
function palette(selector: string): Record<string, string> {
  const start = css.indexOf(selector);
  if (start === -1) throw new Error(`styles.css has no ${selector}`);
  const body = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!.toLowerCase()]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const light = palette(':root {');
const dark = palette(":root[data-theme='dark']");
const surfaces = ['bg', 'panel', 'panel-2', 'mine'];

/** Every pair below `minimum`, as "fg on bg 2.1:1". */
function below(colours: Record<string, string>, foregrounds: readonly string[], backgrounds: readonly string[], minimum: number): string[] {
  return foregrounds.flatMap((fg) =>
    backgrounds
      .map((bg) => ({ fg, bg, ratio: contrast(colours[fg]!, colours[bg]!) }))
      .filter(({ ratio }) => ratio < minimum)
      .map(({ fg, bg, ratio }) => `${fg} on ${bg} ${ratio.toFixed(2)}:1`),
  );
}

describe('colour contrast of the palette', () => {
  it('the system dark palette and the chosen dark theme are the same colours', () => {
    const system = palette(":root:not([data-theme='light'])");
    expect(system).toEqual(dark);
    expect(Object.keys(dark)).toContain('field-border');
  });

  for (const [name, colours] of [['light', light], ['dark', dark]] as const) {
    it(`${name}: field borders, focus rings and the accent reach 3:1 on every surface`, () => {
      expect(below(colours, ['field-border', 'focus', 'accent'], surfaces, 3)).toEqual([]);
    });

    it(`${name}: text, muted text, warnings and errors reach 4.5:1 on every surface, and the accent's text on the accent`, () => {
      expect(below(colours, ['text', 'muted', 'danger', 'warn'], surfaces, 4.5)).toEqual([]);
      expect(below(colours, ['accent-text'], ['accent'], 4.5)).toEqual([]);
    });
  }

  it('the ratio is computed as WCAG defines it', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrast('#e2e2dc', '#ffffff')).toBeLessThan(3);
  });
});
