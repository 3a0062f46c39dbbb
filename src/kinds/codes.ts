// The registry of the kinds' issue codes: each kind declares its codes in its folder (codes.ts),
// and ISSUE_CODES (src/errors.ts) spreads these two lists where the documented table has them.
// One entry per kind that has codes, in the registry's kind order. Imports only plain data files
// (no cycle through errors.ts, which everything imports). Pure IIFEs: spreads would otherwise keep
// the tables in bundles that never read them.
import { PAID_CODES } from './paid/codes';
import { PUNCH_CODES } from './punch/codes';
import { SPEND_CODES } from './spend/codes';
import { TIERED_CODES } from './tiered/codes';

/** The kinds' config codes (thrown by `defineProgram`), listed with the program config codes. */
export const KIND_CONFIG_CODES = /* @__PURE__ */ (() => ({ ...SPEND_CODES.config, ...TIERED_CODES.config, ...PUNCH_CODES.config }) as const)();

/** The kinds' business refusals, listed with the other refusals. */
export const KIND_REFUSAL_CODES = /* @__PURE__ */ (() => ({ ...TIERED_CODES.refused, ...PAID_CODES.refused }) as const)();
