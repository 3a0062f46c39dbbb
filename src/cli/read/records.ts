// Validating one record of an input file against the library's schemas, with the first issue
// located by line and field.
import * as z from 'zod/mini';
import type { Issue } from '../../errors';
import { issuesFromZod } from '../../schema/issues';

/** A schema's result for one record: the value, or the issues with their paths. */
export type Checked<T> = { ok: true; value: T } | { ok: false; issues: readonly Issue[] };

/** Parses a record with a library schema; issues are the library's (codes, paths, messages). */
export function check<S extends z.core.$ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const result = z.safeParse(schema, input);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesFromZod(result.error) };
}

/** `lines.0.unitPrice` — a field path as CLI messages show it. */
export const dotted = (path: readonly (string | number)[]): string => path.map(String).join('.');

/** "invalid_amount: expected a decimal string…" — an issue as one line, its code first. */
export const describeIssue = (issue: Issue): string => `${issue.code}: ${issue.message}`;
