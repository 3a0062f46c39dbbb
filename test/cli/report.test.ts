// The --html report through the built bin: a self-contained document whose charts are inline SVG
// with marks, drawn by Observable Plot; and the message when the optional peers are missing.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, data, requireBuild, root } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'loyalty-report-'));
const history = ['--events', data('events.ndjson'), '--customers', data('customers.ndjson')];

beforeAll(requireBuild);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The chart sections of a report and, for each, its plot's SVG (not a legend swatch) and mark count. */
function chartsOf(html: string): { id: string; svg: boolean; marks: number }[] {
  const { document } = parseHTML(html);
  return [...document.querySelectorAll('section.chart')].map((section) => {
    const svg = [...section.querySelectorAll('svg')].find((s) => (s.getAttribute('class') ?? '').startsWith('plot-'));
    const marks = svg ? svg.querySelectorAll('g[aria-label] rect, g[aria-label] path, g[aria-label] circle').length : 0;
    return { id: section.getAttribute('data-chart') ?? '', svg: svg !== undefined, marks };
  });
}

describe('--html', () => {
  test('simulate writes a self-contained report with its charts as SVG with marks', () => {
    const file = join(dir, 'simulate.html');
    const run = cli(['simulate', '--program', data('beauty.json'), ...history, '--html', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`report written to ${file}`);
    const html = readFileSync(file, 'utf8');
    const charts = chartsOf(html);
    expect(charts.map((c) => c.id)).toEqual(['points-per-month', 'liability', 'tier-mix']);
    for (const c of charts) expect(c.marks, c.id).toBeGreaterThan(5);
    // Self-contained: no script, no external stylesheet, image or font.
    expect(html).not.toMatch(/<script|<link|<img|@import|url\((?!#)/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  test('compare adds the A vs B chart and tables, with both programs in each chart', () => {
    const file = join(dir, 'compare.html');
    const run = cli(['compare', data('beauty.json'), data('beauty-v2.json'), ...history, '--html', file, '--json']);
    expect(run.code).toBe(0);
    // --json still prints only JSON on stdout; the note about the report goes to stderr.
    expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
    const html = readFileSync(file, 'utf8');
    expect(chartsOf(html).map((c) => c.id)).toEqual(['points-per-month', 'liability', 'tier-mix', 'customer-differences']);
    const { document } = parseHTML(html);
    expect(document.querySelector('#comparison')?.textContent).toContain('Top gainers');
    expect(document.querySelector('#chart-liability')?.textContent).toContain('B: beauty v2');
  });

  test('without @observablehq/plot and linkedom installed: exit 2 and what to install', () => {
    // An install of the package with its dependencies but not the optional peers.
    const app = join(dir, 'app');
    cpSync(join(root, 'dist'), join(app, 'dist'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies)) {
      mkdirSync(join(app, 'node_modules', name, '..'), { recursive: true });
      symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', name), 'dir');
    }
    const out = join(dir, 'never.html');
    const run = cli(['simulate', '--program', join(root, data('beauty.json')), '--events', join(root, data('orders.csv')), '--html', out], { cwd: app, binPath: join(app, 'dist', 'cli', 'index.js') });
    expect(run.stderr).toContain('npm install @observablehq/plot linkedom');
    expect(run.code).toBe(2);
  });
});
