// The self-contained HTML report: inline CSS, charts as inline SVG drawn by Observable Plot on
// the server, tables as HTML. No script, no external stylesheet, font or image: it opens offline
// and can be mailed as one file.
import { groupDigits } from '../table';
import { drawCharts, type Chart } from './charts';
import type { ComparisonFigures, CustomerDifference, ProgramFigures, ReportData } from './data';
import { loadChartModules, type ChartModules } from './load';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `
  :root { color-scheme: light; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 960px; padding: 0 1rem; color: #1d1d1f; }
  h1 { font-size: 1.6rem; margin-bottom: .2rem; }
  .subtitle { color: #555; margin-top: 0; }
  section { margin: 2rem 0; }
  h2 { font-size: 1.15rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
  table { border-collapse: collapse; margin: .5rem 0; }
  th, td { padding: .25rem .75rem; border-bottom: 1px solid #eee; text-align: left; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .programs { display: flex; gap: 2rem; flex-wrap: wrap; }
  figure { margin: 0; }
`;

function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[]): string {
  const cell = (tag: 'th' | 'td', text: string, c: number): string => `<${tag}${numeric[c] === true ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  const head = `<tr>${header.map((h, c) => cell('th', h, c)).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((v, c) => cell('td', v, c)).join('')}</tr>`).join('\n');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function summaries(programs: readonly ProgramFigures[]): string {
  const blocks = programs.map((p) => `<div><h3>${escapeHtml(p.label)}</h3>${table(['metric', 'value'], p.summary, [false, true])}</div>`);
  return `<section id="summary"><h2>Summary</h2><div class="programs">${blocks.join('')}</div></section>`;
}

function monthTable(p: ProgramFigures): string {
  const rows = p.months.map((m) => [m.month, groupDigits(m.issued), groupDigits(m.redeemed), groupDigits(m.expired), groupDigits(m.liability)]);
  return `<h3>${escapeHtml(p.label)}</h3>${table(['month', 'issued', 'redeemed', 'expired', `liability (${p.liabilityUnit})`], rows, [false, true, true, true, true])}`;
}

function chartSection(chart: Chart): string {
  return `<section class="chart" id="chart-${chart.id}" data-chart="${chart.id}"><h2>${escapeHtml(chart.title)}</h2>${chart.markup}</section>`;
}

function comparisonSection(c: ComparisonFigures, unit: string): string {
  const diff = (d: CustomerDifference): string[] => [d.customerId, groupDigits(d.a), groupDigits(d.b), groupDigits(d.difference)];
  const people = (title: string, list: readonly CustomerDifference[]): string =>
    list.length === 0 ? '' : `<h3>${title}</h3>${table(['customer', 'A', 'B', 'B − A'], list.map(diff), [false, true, true, true])}`;
  const tiers = c.tierChanges.length === 0 ? '' : `<h3>Tier changes</h3>${table(['under A', 'under B', 'customers'], c.tierChanges.map((t) => [t.from, t.to, String(t.customers)]), [false, false, true])}`;
  return `<section id="comparison"><h2>A vs B</h2><p>Liability difference at the end (B − A): <strong>${escapeHtml(`${groupDigits(c.liabilityDifference)} ${unit}`)}</strong></p>${people('Top gainers', c.gainers)}${people('Top losers', c.losers)}${tiers}</section>`;
}

/** The report as one HTML document, charts drawn with the given modules. */
export function renderReportWith(modules: ChartModules, data: ReportData): string {
  const charts = drawCharts(modules, data.programs, data.comparison);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(data.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(data.title)}</h1><p class="subtitle">${escapeHtml(data.subtitle)}</p>`,
    summaries(data.programs),
    ...charts.map(chartSection),
    data.comparison === undefined ? '' : comparisonSection(data.comparison, data.programs[0]?.liabilityUnit ?? ''),
    `<section id="months"><h2>Per month</h2>${data.programs.map(monthTable).join('')}</section>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** The report as one HTML document; loads Observable Plot and linkedom (optional peers) on demand. */
export async function renderReport(data: ReportData): Promise<string> {
  return renderReportWith(await loadChartModules(), data);
}
