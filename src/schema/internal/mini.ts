// Small helpers over zod/mini for what zod classic had as methods: a transform that can report
// issues (classic's `ctx.addIssue` in `.transform`), `preprocess`, and English messages for
// zod's own issue codes (zod/mini loads no locale, so its issues say only "Invalid input").
import * as z from 'zod/mini';
// A named import: through the `z.locales` namespace object a bundler would keep every locale.
import { en } from 'zod/v4/locales';

/** What a refinement, a transform or a preprocess step may report an issue through. */
export type RefinementCtx = z.core.$RefinementCtx;

/** An issue as a transform reports it: zod's custom issue, usually with a library code in `params.code`. */
export interface TransformIssue {
  readonly code: 'custom';
  readonly message: string;
  readonly path?: PropertyKey[];
  readonly params?: Record<string, unknown>;
}

/** The parts of a transform's context the library's transforms use. */
export interface TransformCtx {
  addIssue(issue: TransformIssue): void;
}

/**
 * zod/mini's `z.transform` with an `addIssue` on its context, as classic's `.transform` had: the
 * issue carries the value it is about (`input`), so the library's issue rewriting sees it, and
 * stops the parse as classic did (an issue from a transform aborts the pipe).
 */
export function transformWith<I, O>(fn: (input: I, ctx: TransformCtx) => O): z.ZodMiniTransform<O, I> {
  return z.transform<I, O>((input, payload) => {
    const ctx: TransformCtx = {
      addIssue: (issue) => {
        payload.issues.push({ ...issue, input } as z.core.$ZodRawIssue);
      },
    };
    return fn(input, ctx);
  });
}

/** classic's `z.preprocess`: `fn` sees (and may refuse) the raw input before `schema` parses it. */
export function preprocess<S extends z.core.$ZodType>(fn: (input: unknown, ctx: TransformCtx) => unknown, schema: S): z.ZodMiniPipe<z.ZodMiniTransform<unknown, unknown>, S> {
  return z.pipe(transformWith<unknown, unknown>(fn), schema);
}

/**
 * The English message zod classic gives an issue of its own (`too_small`, `invalid_type`, …) that
 * no schema named a message for; undefined when the issue's own schema or check names one. zod's
 * English locale is built only when an issue needs it, so a parse that succeeds never evaluates it.
 */
export function englishMessage(issue: z.core.$ZodRawIssue): string | undefined {
  // The map of the schema or check that raised the issue (a message given to it) comes first, as in zod.
  const ownMap = issue.inst?._zod.def.error as ((issue: z.core.$ZodRawIssue) => string | { message: string } | null | undefined) | undefined;
  const own = ownMap?.(issue);
  const ownMessage = typeof own === 'string' ? own : (own ?? undefined)?.message;
  return ownMessage ?? localeMessage(issue);
}

/** zod's English message for an issue, from its English locale alone. */
function localeMessage(issue: z.core.$ZodRawIssue): string | undefined {
  // Built on each call (the error path only) rather than memoised: the core keeps no module state.
  const english = en().localeError as (issue: z.core.$ZodRawIssue) => unknown;
  const message = english(issue);
  return typeof message === 'string' ? message : (message as { message?: string } | undefined)?.message;
}

/**
 * A whole-number check (zod's `int()`, to put in `z.number().check(…)`) whose issue has its
 * English message: "Invalid input: expected int, received number", or `message`. Its own message
 * is needed because an integer issue stops the parse, so the issue rewriting never sees it.
 */
export function int(message?: string): z.ZodMiniNumberFormat {
  return z.int({ error: (issue) => message ?? localeMessage(issue) });
}
