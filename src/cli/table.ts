// Plain-text tables with aligned columns: numbers (and decimal strings) right-aligned so their
// digits line up, words left-aligned. Widths count code points, not UTF-16 units.

/** How a column is aligned; `auto` right-aligns a column whose cells all look numeric. */
export type Align = 'left' | 'right' | 'auto';

const NUMERIC = /^[-+]?[\d,]*\.?\d+%?$|^[-+]?\d[\d,]*(\.\d*)?%?$|^—$|^$/;

const width = (text: string): number => [...text].length;

function isNumericColumn(rows: readonly (readonly string[])[], column: number): boolean {
  let any = false;
  for (const row of rows) {
    const cell = row[column] ?? '';
    if (!NUMERIC.test(cell)) return false;
    if (cell !== '' && cell !== '—') any = true;
  }
  return any;
}

function pad(text: string, size: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * A table as lines of text: a header, a rule of dashes, then the rows, columns two spaces apart.
 * Trailing spaces are trimmed.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const sizes = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ''))));
  const aligns = header.map((_h, c): 'left' | 'right' => {
    const a = align[c] ?? 'auto';
    return a === 'auto' ? (isNumericColumn(rows, c) ? 'right' : 'left') : a;
  });
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => pad(cell, sizes[c] ?? 0, aligns[c] ?? 'left')).join('  ').trimEnd();
  return [line(header), sizes.map((s) => '-'.repeat(s)).join('  '), ...rows.map((r) => line(header.map((_h, c) => r[c] ?? '')))].join('\n');
}

/** A number with thousands separators, exact: works on the decimal string, never on a float. */
export function groupDigits(decimal: string): string {
  const negative = decimal.startsWith('-');
  const unsigned = negative ? decimal.slice(1) : decimal;
  const [int = '', frac] = unsigned.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}
