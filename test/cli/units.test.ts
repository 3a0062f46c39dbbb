// The CLI's small pieces, from source: the table printer, CSV times, the column mapping.
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { CliError } from '../../src/cli/errors';
import type { Output } from '../../src/cli/output';
import { PROGRESS_MIN_EVENTS, progressBar } from '../../src/cli/progress';
import { mappingFromFlags, resolveColumns } from '../../src/cli/read/mapping';
import { normaliseInstant } from '../../src/cli/read/times';
import { formatTable, groupDigits } from '../../src/cli/table';
import { formatPath, stripSchemaKey } from '../../src/cli/validate';

describe('formatTable', () => {
  test('numeric columns right-aligned, text left-aligned, a rule under the header', () => {
    const table = formatTable(['customer', 'points'], [['ana', '1,200'], ['benedict', '35']]);
    expect(table.split('\n')).toEqual(['customer  points', '--------  ------', 'ana        1,200', 'benedict      35']);
  });

  test('widths count characters, not UTF-16 units', () => {
    const table = formatTable(['name', 'n'], [['B − A', '1'], ['ab', '22']]);
    expect(table.split('\n')[2]).toBe('B − A   1');
  });
});

test('groupDigits groups the integer part of a decimal string exactly', () => {
  expect(groupDigits('1234567.891')).toBe('1,234,567.891');
  expect(groupDigits('-1000')).toBe('-1,000');
  expect(groupDigits('12345678901234567890.5')).toBe('12,345,678,901,234,567,890.5');
});

describe('normaliseInstant', () => {
  test('shop export forms become ISO 8601 with an offset', () => {
    expect(normaliseInstant('2026-01-05 10:15:00 -0500', undefined)).toBe('2026-01-05T10:15:00.000-05:00');
    expect(normaliseInstant('2026-01-05T10:15:00Z', undefined)).toBe('2026-01-05T10:15:00.000Z');
    expect(normaliseInstant('2026-01-05 10:15 UTC', undefined)).toBe('2026-01-05T10:15:00.000Z');
  });

  test('a time without an offset is read in --time-zone, or left for the schema to refuse', () => {
    expect(normaliseInstant('2026-07-04 14:10:00', 'America/New_York')).toBe('2026-07-04T18:10:00.000Z');
    expect(normaliseInstant('2026-07-04 14:10:00', undefined)).toBe('2026-07-04 14:10:00');
  });
});

describe('column mapping', () => {
  test('--map column=field wins over the default column, and a mapped field never falls back', () => {
    const mapping = mappingFromFlags(['Created at=occurredAt', 'a=b=sku']);
    const columns = resolveColumns(['order_id', 'created_at', 'Created at', 'a=b'], mapping);
    expect(columns.get('occurredAt')).toBe(2);
    expect(columns.get('sku')).toBe(3);
    expect(columns.get('orderId')).toBe(0);
  });

  test('an unknown field or a flag without "=" is a usage error', () => {
    expect(() => mappingFromFlags(['Created at=created'])).toThrow(CliError);
    expect(() => mappingFromFlags(['Created at'])).toThrow(/expected column=field/);
  });
});

test('formatPath and the $schema key', () => {
  expect(formatPath(['rules', 2, 'when', 'all', 0, 'operator'])).toBe('rules[2].when.all[0].operator');
  expect(formatPath([])).toBe('(root)');
  expect(stripSchemaKey({ $schema: './program.schema.json', kind: 'points' })).toEqual({ kind: 'points' });
});

describe('progress bar', () => {
  /** A terminal that records what is written to it. */
  function terminal(): { stream: PassThrough & { isTTY: boolean; columns: number }; text: () => string } {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { stream, text: () => text };
  }
  const io = (tty: boolean): Output => ({ out: () => undefined, err: () => undefined, stderrIsTTY: tty });

  test('a long replay on a terminal draws a bar up to the total', () => {
    const t = terminal();
    const bar = progressBar(io(true), 'replaying', PROGRESS_MIN_EVENTS, t.stream);
    for (let done = 1; done <= PROGRESS_MIN_EVENTS; done += 1) bar.tick(done);
    bar.stop();
    expect(t.text()).toContain('replaying [');
    expect(t.text()).toContain(`${PROGRESS_MIN_EVENTS}/${PROGRESS_MIN_EVENTS} events`);
  });

  test('no bar when stderr is not a terminal, or for a short replay', () => {
    for (const [tty, total] of [[false, PROGRESS_MIN_EVENTS * 2], [true, PROGRESS_MIN_EVENTS - 1]] as const) {
      const t = terminal();
      const bar = progressBar(io(tty), 'replaying', total, t.stream);
      bar.tick(total);
      bar.stop();
      expect(t.text()).toBe('');
    }
  });
});
