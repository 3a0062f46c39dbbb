/*
 * bench/profile.ts's reading of a V8 CPU profile and a sampled allocation profile: every sample is
 * charged to one named bucket by the source file of the function it ran in ("evaluate · order
 * view" is src/engine/order.ts, "ledger" is src/ledger/, ...), so a reader sees where a target's
 * time and bytes go without knowing the file tree. Functions without a source file (V8 builtins
 * such as JSON.stringify or Array.prototype.map) are charged to the nearest caller that has one;
 * rules compiled from JSON (generated code, `anonymous`) to the rules bucket. V8's own pseudo-nodes
 * get buckets of their own: "(garbage collector)" is GC, "(program)" is V8 and native code not
 * attributed to JavaScript, "(idle)" is the event loop waiting (on the network, for target 6).
 */

/** One named bucket and the files it holds; the first bucket whose test matches wins. */
interface BucketRule {
  readonly name: string;
  readonly test: (file: string) => boolean;
}

const ENTRIES_NAME = 'evaluate · allocation and entries';
const under = (...prefixes: string[]) => (file: string): boolean => prefixes.some((p) => file.startsWith(p));
const one = (...files: string[]) => (file: string): boolean => files.includes(file);

/** Bucket names used by name elsewhere (the pseudo-nodes, the fallbacks). */
export const GC = 'GC (garbage collector)';
export const IDLE = 'idle (event loop waiting)';
export const V8 = 'V8 runtime / native (program)';
export const OTHER = 'other';
/** The profiler's own calls (`Profiler.start`/`stop` through node:inspector): left out of the shares. */
export const PROFILER = '(the profiler itself)';

/** In order: the first match names a function's bucket. `file` is relative to the repository (`src/engine/order.ts`, `node_modules/pg/...`, `node:internal/...`). */
const RULES: readonly BucketRule[] = [
  { name: 'evaluate · facts', test: one('src/engine/facts.ts', 'src/rules/facts.ts', 'src/rules/path.ts', 'src/engine/catalog.ts', 'src/rules/catalog.ts') },
  { name: 'evaluate · rules', test: (f) => f === 'src/engine/rule-selection.ts' || f === '<compiled rules>' || (f.startsWith('src/rules/') && !f.startsWith('src/rules/validate')) },
  { name: 'evaluate · awards', test: one('src/engine/award-units.ts', 'src/engine/awards.ts', 'src/engine/earn-plan.ts', 'src/money/minor.ts') },
  { name: ENTRIES_NAME, test: one('src/engine/earn-lot.ts', 'src/engine/lots.ts', 'src/money/allocate.ts', 'src/engine/notifications.ts', 'src/ledger/shares.ts', 'src/ledger/ids.ts') },
  { name: 'evaluate · limits', test: one('src/engine/limits.ts') },
  { name: 'evaluate · order view', test: one('src/engine/order.ts') },
  { name: 'evaluate · schedule and tick', test: one('src/engine/tick.ts', 'src/engine/due-lots.ts', 'src/engine/expiry.ts', 'src/engine/schedule-birthdays.ts') },
  { name: 'evaluate · event checks', test: one('src/engine/event-checks.ts') },
  { name: 'evaluate · the call (evaluate.ts, decision, outcome)', test: one('src/engine/evaluate.ts', 'src/engine/decision.ts', 'src/engine/outcome.ts') },
  { name: 'evaluate · other engine code', test: under('src/engine/', 'src/kinds/') },
  { name: 'ledger: fold, lot index', test: under('src/ledger/') },
  { name: 'time zones and calendar', test: under('src/time/', 'node_modules/date-fns', 'node_modules/@date-fns') },
  { name: 'money: decimal.js and src/money', test: under('src/money/', 'node_modules/decimal.js') },
  { name: 'parsing and validation', test: under('src/schema/', 'node_modules/zod', 'src/rules/validate') },
  { name: 'service: fingerprint (canonical text, SHA-256)', test: one('src/service/sha256.ts', 'src/service/canonical.ts') },
  { name: 'service: process, idempotency', test: under('src/service/') },
  { name: 'memory store', test: under('src/store/') },
  { name: 'simulate: generating the history', test: one('src/simulate/generate.ts', 'src/simulate/random.ts') },
  { name: 'simulate: replay, books, schedule', test: under('src/simulate/') },
  { name: 'metrics accumulators', test: under('src/metrics/') },
  { name: 'PostgreSQL adapter (SQL, codec)', test: under('src/adapters/postgres/') },
  { name: 'pg driver (node-postgres)', test: under('node_modules/pg', 'node_modules/postgres-') },
  { name: 'Node runtime (sockets, streams, promises)', test: (f) => f.startsWith('node:') },
  { name: 'bench harness', test: under('bench/') },
];

/** Every bucket a table can show, in a stable order. */
export const ALL_BUCKETS: readonly string[] = [...RULES.map((r) => r.name), GC, V8, OTHER];

/** The repository-relative name of a profile node's script (`file:///…/src/x.ts` → `src/x.ts`). */
export function sourceFile(url: string, root: string): string {
  let path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  if (path.startsWith(root)) path = path.slice(root.length).replace(/^\/+/, '');
  return path;
}

/** Files whose functions belong to two buckets: src/engine/awards.ts drafts awards (the Decimal reference path) and also writes every earn entry and lot of both paths. */
const ENTRY_FUNCTIONS = new Set(['earnEntries', 'lineSharesOf', 'splitDraft', 'isNumbers', 'activityEntry', 'lotTerms', 'ruleLot']);
const ENTRIES = ENTRIES_NAME;

/** The bucket of a file, or undefined when no rule names it. */
export function bucketOfFile(file: string): string | undefined {
  return RULES.find((r) => r.test(file))?.name;
}

/** A call frame as the CPU profile and the sampling heap profile both give it. */
export interface Frame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

/** The bucket of a frame; undefined when it has no source (a builtin: charge its caller). */
export function bucketOfFrame(frame: Frame, root: string): string | undefined {
  if (frame.functionName === '(garbage collector)') return GC;
  if (frame.functionName === '(idle)') return IDLE;
  if (frame.functionName === '(program)') return V8;
  if (frame.functionName === '(root)') return OTHER;
  if (frame.url === 'node:inspector' || frame.url === 'node:inspector/promises') return PROFILER;
  if (frame.url === '') return frame.functionName.startsWith('anonymous') || frame.functionName === '' ? bucketOfFile('<compiled rules>') : undefined;
  const file = sourceFile(frame.url, root);
  if (file === 'src/engine/awards.ts' && ENTRY_FUNCTIONS.has(frame.functionName)) return ENTRIES;
  return bucketOfFile(file) ?? OTHER;
}

/** A named share of a whole: µs or bytes. */
export interface Share {
  readonly name: string;
  readonly amount: number;
  readonly share: number;
}

/** Shares of `amounts` in `order` (the names given first, then the rest by size), summing to 1. */
export function shares(amounts: ReadonlyMap<string, number>, order: readonly string[]): Share[] {
  let total = 0;
  for (const v of amounts.values()) total += v;
  const names = [...order, ...[...amounts.keys()].filter((n) => !order.includes(n)).sort((a, b) => (amounts.get(b) ?? 0) - (amounts.get(a) ?? 0))];
  return names.map((name) => {
    const amount = amounts.get(name) ?? 0;
    return { name, amount, share: total > 0 ? amount / total : 0 };
  });
}
