// The HTML report in a real browser: headless Chromium (Debian's package, installed by .ci/run)
// driven by playwright-core opens the compare report and checks that every chart rendered — an
// SVG with marks and a non-zero box — with no console error, and saves a screenshot to
// test/.artifacts/. Without a browser it skips, except under CI=true, where it fails.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, data, requireBuild, root } from './run-cli';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const found = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';

describe.runIf(found || inCi)('the HTML report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-browser-'));
  const report = join(dir, 'compare.html');
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!found) throw new Error(`CI=true and no browser at ${CHROMIUM}: .ci/run installs it with apt-get install -y chromium`);
    requireBuild();
    const run = cli(['compare', data('beauty.json'), data('beauty-v2.json'), '--events', data('events.ndjson'), '--customers', data('customers.ndjson'), '--html', report]);
    expect(run.code, run.stderr).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every chart renders with marks and a size, without console errors; a screenshot is saved', async () => {
    if (!browser) throw new Error('no browser');
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    await page.goto(pathToFileURL(report).href);
    const charts = await page.$$eval('section.chart', (sections) =>
      sections.map((section) => {
        const svg = [...section.querySelectorAll('svg')].find((s) => (s.getAttribute('class') ?? '').startsWith('plot-'));
        const box = svg?.getBoundingClientRect();
        const marks = svg ? [...svg.querySelectorAll('g[aria-label] rect, g[aria-label] path, g[aria-label] circle')] : [];
        const drawn = marks.filter((m) => {
          const r = m.getBoundingClientRect();
          return r.width > 0 || r.height > 0;
        });
        return { id: section.id, width: box?.width ?? 0, height: box?.height ?? 0, marks: drawn.length };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(['chart-points-per-month', 'chart-liability', 'chart-tier-mix', 'chart-customer-differences']);
    for (const chart of charts) {
      expect(chart.width, chart.id).toBeGreaterThan(0);
      expect(chart.height, chart.id).toBeGreaterThan(0);
      expect(chart.marks, chart.id).toBeGreaterThan(5);
    }
    const artifacts = join(root, 'test', '.artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report-compare.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});

test.skipIf(found || inCi)('the browser test is skipped: no Chromium at /usr/bin/chromium and not CI', () => {
  expect(found).toBe(false);
});
