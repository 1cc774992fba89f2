import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { ARTIFACTS } from './browser';

/** The committed baselines of the visual-regression suite. */
export const BASELINES = path.resolve(__dirname, '../__screenshots__');
/** `UPDATE_SNAPSHOTS=1`: write what the browser draws as the new baselines instead of comparing. */
export const UPDATING = process.env.UPDATE_SNAPSHOTS === '1';

/**
 * How far a screenshot may stray from its baseline: `threshold` is pixelmatch's per-pixel colour
 * distance (0…1) below which two pixels count as the same (it absorbs antialiasing noise);
 * `maxDiffRatio` is the share of pixels that may still differ.
 */
export const TOLERANCE = { threshold: 0.1, maxDiffRatio: 0.001 };

export interface Comparison {
  /** null when the screenshot matches (or the baseline was written) */
  failure: string | null;
  diffPixels: number;
}

/**
 * Compares `png` with the baseline `name`.png; on a mismatch the screenshot and a diff image
 * (differing pixels in red) land in test-results/web-e2e/visual/ for a person to look at.
 */
export async function compareWithBaseline(name: string, png: Buffer): Promise<Comparison> {
  const baselineFile = path.join(BASELINES, `${name}.png`);
  if (UPDATING) {
    await mkdir(BASELINES, { recursive: true });
    await writeFile(baselineFile, png);
    return { failure: null, diffPixels: 0 };
  }
  const baselineBytes = await readFile(baselineFile).catch(() => null);
  const out = path.join(ARTIFACTS, 'visual');
  await mkdir(out, { recursive: true });
  if (!baselineBytes) {
    await writeFile(path.join(out, `${name}.actual.png`), png);
    return { failure: `no baseline ${path.relative(process.cwd(), baselineFile)}: run the suite with UPDATE_SNAPSHOTS=1 and commit the new file`, diffPixels: 0 };
  }
  const actual = PNG.sync.read(png);
  const expected = PNG.sync.read(baselineBytes);
  if (actual.width !== expected.width || actual.height !== expected.height) {
    await writeFile(path.join(out, `${name}.actual.png`), png);
    return { failure: `${name}: the page is ${actual.width}×${actual.height} px, its baseline ${expected.width}×${expected.height} px`, diffPixels: Number.NaN };
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const diffPixels = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, { threshold: TOLERANCE.threshold });
  const allowed = Math.floor(actual.width * actual.height * TOLERANCE.maxDiffRatio);
  if (diffPixels <= allowed) return { failure: null, diffPixels };
  await writeFile(path.join(out, `${name}.actual.png`), png);
  await writeFile(path.join(out, `${name}.diff.png`), PNG.sync.write(diff));
  return { failure: `${name}: ${diffPixels} pixels differ from the baseline (at most ${allowed} may); see ${path.relative(process.cwd(), out)}/${name}.diff.png`, diffPixels };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's WCAG 2.x A/AA rules on the page as it is; the serious and critical findings.
 * The script goes in through the DevTools protocol, which the page's Content-Security-Policy
 * does not govern.
 */
export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target.join(' '))) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
