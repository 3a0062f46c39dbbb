// NDJSON inputs (one JSON object a line, the library's own event and customer shapes).
import type * as z from 'zod/mini';
import { InputError } from '../errors';
import { parseJson } from './files';
import { check, describeIssue, dotted } from './records';

/** One record of an NDJSON file with the line it came from. */
export interface Located<T> {
  readonly value: T;
  readonly line: number;
  /** The record as read, before parsing (what a schema may be given again). */
  readonly input?: unknown;
}

/**
 * Every non-blank line of an NDJSON text parsed with `schema`; the first bad line is an
 * InputError naming the file, the line, the field and the library's issue code.
 */
export function parseNdjson<S extends z.core.$ZodType>(text: string, file: string, schema: S): Located<z.output<S>>[] {
  const out: Located<z.output<S>>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const raw = (lines[i] ?? '').replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const line = i + 1;
    const value = parseJson(raw, file, line);
    const checked = check(schema, value);
    if (!checked.ok) {
      const issue = checked.issues[0];
      const field = issue === undefined || issue.path.length === 0 ? undefined : dotted(issue.path);
      throw new InputError({ file, line, field }, issue === undefined ? 'invalid record' : describeIssue(issue));
    }
    out.push({ value: checked.value, line, input: value });
  }
  return out;
}
