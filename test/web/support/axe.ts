/**
 * axe-core in the page: injected from node_modules (once per document) and
 * run on the whole page, in light and in dark. Serious and critical findings
 * are what a suite asserts on; moderate and minor ones are printed so they
 * stay visible without failing anyone.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { screenshotPath } from './browser.ts';

// The app's Content-Security-Policy (script-src 'self') refuses an injected <script> (addScriptTag); evaluate is not subject to it.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  readonly screen: string;
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

interface AxeResult {
  readonly violations: readonly {
    readonly id: string;
    readonly impact: string | null;
    readonly help: string;
    readonly nodes: readonly { readonly target: readonly unknown[] }[];
  }[];
}

async function runAxe(page: Page): Promise<AxeResult> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    // Only what crosses back to Node: axe's result holds DOM references.
    return {
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String) })) })),
    };
  });
}

/**
 * Checks `page` as it is now in light and then dark (a screenshot of each,
 * `<name>-<scheme>.png`) and returns every finding; the page is left in light.
 */
export async function audit(page: Page, name: string): Promise<AxeFinding[]> {
  const findings: AxeFinding[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Two frames: the new colours are painted before axe reads them.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.screenshot({ path: screenshotPath(`a11y-${name}-${scheme}`) });
    const result = await runAxe(page);
    for (const v of result.violations) {
      findings.push({ screen: `${name} (${scheme})`, id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return findings;
}

/** The findings that fail a suite; the rest are printed. */
export function seriousOnly(findings: readonly AxeFinding[]): AxeFinding[] {
  const minor = findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
  for (const f of minor) console.log(`[axe ${f.impact}] ${f.screen}: ${f.id} (${f.help}) at ${f.targets.slice(0, 3).join(', ')}`);
  return findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}
