// Issue 13's acceptance as a check: a program kind's names appear only in its folder
// (src/kinds/<kind>/), the registry files that list every kind, and the allow-list below, each
// entry with its reason. Comments are plain English and not checked; code is: identifiers, string
// literals and import paths. Run by `npm run lint`; `node scripts/check-kind-names.mjs [root]`
// checks another tree (the test plants references in a temporary one).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));

/** The files that list every kind, one line each (docs/architecture.md, "Adding a kind"). */
const REGISTRY = new Set(['kinds/index.ts', 'kinds/api.ts', 'kinds/states.ts', 'kinds/codes.ts', 'kinds/configs.ts', 'kinds/schemas.ts', 'kinds/events.ts', 'kinds/ids.ts']);

/**
 * A kind's other names, as words of identifiers and string literals. `points` and `spend` are not
 * here, nor literal kind tags: `points` is also the unit, `spend` the verb, an activity field and a
 * tier qualification basis. Those two kinds are caught by their folder paths and by the names the
 * registry takes from their folders (`spendHooks`, `SpendProgramConfig`, `ProgressState`…).
 */
const WORDS = {
  tiered: ['tier', 'tiers', 'tiered'],
  paid: ['membership', 'memberships'],
  punch: ['punch', 'punches', 'card', 'cards'],
};
/** String literals that are a kind's tag or state key: `'tiered'`, `'membership'`, `'progress'`. */
const TAGS = { tiered: ['tiered', 'tier'], paid: ['paid', 'membership'], punch: ['punch', 'card'], spend: ['progress'] };

/** The reason of the backtest's entries: the result field SPEC.md requires. */
const TIER_MIX = 'SPEC.md line 212 (§12, Backtest) requires a backtest to report the "tier mix"';

/** Allowed references outside the kind folders: [file, names ('*': any), reason]. */
const ALLOWED = [
  ['simulate/result.ts', ['tier', 'tierMix', 'tierMixOf'], `${TIER_MIX}: SimulationResult's public fields (docs/api.md); the values come from the generic standing hooks`],
  ['simulate/merge.ts', ['tierMix', 'tierMixOf'], `${TIER_MIX}: merges the public field tierMix of shards' results`],
  ['simulate/types.ts', ['tier', 'tierMix', 'tierA', 'tierB', 'tierChanges'], `${TIER_MIX}: the simulation result's public fields (docs/api.md); renaming them is a breaking change`],
  ['simulate/compare.ts', ['tier', 'tierA', 'tierB', 'tierChanges'], `${TIER_MIX}, side by side: compares the public tier fields of two simulation results`],
  ['cli/figures.ts', ['tier', 'tierMix', 'tierChanges', 'tierA', 'tierB', 'TierChange'], `${TIER_MIX}: the backtest report prints the simulation result's public tier fields`],
  ['cli/report/data.ts', ['tier', 'tierMix', 'tierChanges', 'TierCount', 'TierChange'], `${TIER_MIX}: the backtest report data, the simulation result's public tier fields`],
  ['cli/report/charts.ts', ['tier', 'tierMix', 'tier-mix'], `${TIER_MIX}: the tier-mix chart of the backtest report`],
  ['cli/report/html.ts', ['tiers', 'tierChanges'], `${TIER_MIX}: the backtest report's tier changes table`],
  ['cli/commands.ts', ['tiers', 'tierMix', 'tierChanges'], `${TIER_MIX}: the backtest command prints the tier changes`],
  ['cli/validate.ts', ['tiers', 'tier'], '`validate` summarises a config (its rule and tier counts) from the raw config'],
];

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

const kindsDir = join(root, 'kinds');
const KINDS = readdirSync(kindsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

/** Names the registry files take from each kind's folder (imports and re-exports). */
function registryNames() {
  const names = new Map();
  const FROM = /(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]\.\/([a-z]+)\//g;
  for (const file of REGISTRY) {
    let text;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(FROM)) {
      for (const part of m[1].split(',')) {
        const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
        if (name && KINDS.includes(m[2])) names.set(name, m[2]);
      }
    }
  }
  return names;
}
const NAMES = registryNames();

// One pass of one sticky pattern: a comment, a quoted string, an identifier, or a character that
// matters for templates and lines (` { } and newlines); anything else is skipped a run at a time.
const TOKEN = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|[A-Za-z_$][\w$]*|[`{}\n]|[^\n`{}'"/A-Za-z_$]+|\//g;
const TEMPLATE_PART = /(?:\\[\s\S]|\$(?!\{)|[^`\\$])*/y;

/** Identifiers and string literals (template parts included) of a file, comments left out, each with its line. */
function tokens(text) {
  const out = [];
  const braces = [];
  let line = 1;
  // Reads a template's text from TOKEN.lastIndex up to its end or its next `${`.
  const templatePart = () => {
    TEMPLATE_PART.lastIndex = TOKEN.lastIndex;
    const m = TEMPLATE_PART.exec(text);
    const value = m ? m[0] : '';
    out.push({ kind: 'template', value, line });
    for (const ch of value) if (ch === '\n') line += 1;
    let at = TEMPLATE_PART.lastIndex;
    if (text.startsWith('${', at)) {
      braces.push('template');
      at += 2;
    } else at += 1;
    TOKEN.lastIndex = at;
  };
  TOKEN.lastIndex = 0;
  let m;
  while ((m = TOKEN.exec(text)) !== null) {
    const t = m[0];
    const c = t[0];
    if (t === '\n') line += 1;
    else if (c === '`') templatePart();
    else if (t === '{') braces.push('code');
    else if (t === '}') {
      if (braces.pop() === 'template') templatePart();
    } else if (c === "'" || c === '"') out.push({ kind: 'string', value: t.slice(1, -1).replace(/\\(.)/g, '$1'), line });
    else if (c === '/' && (t[1] === '/' || t[1] === '*')) {
      for (let i = 0; i < t.length; i += 1) if (t.charCodeAt(i) === 10) line += 1;
    } else if (/[A-Za-z_$]/.test(c)) out.push({ kind: 'identifier', value: t, line });
  }
  return out;
}

/** The words of an identifier: `tierMixOf` → tier, mix, of; `MEMBERSHIP_TRANSITIONS` → membership, transitions. */
function words(identifier) {
  // A gift card is a catalog reward kind, not the punch kind's card.
  return identifier
    .replace(/gift_?card/gi, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const PREFIX = Object.entries(WORDS).map(([kind, list]) => [kind, new RegExp(`^(${list.join('|')})[.:_-]`), new RegExp(`(^|[^a-z])(${list.join('|')})[.:_-]`)]);
const identifierKinds = new Map();

/** The kind an identifier names, or null (remembered: most identifiers repeat). */
function identifierKind(identifier) {
  let kind = identifierKinds.get(identifier);
  if (kind === undefined) {
    const ws = words(identifier);
    kind = NAMES.get(identifier) ?? Object.entries(WORDS).find(([, list]) => ws.some((w) => list.includes(w)))?.[0] ?? null;
    identifierKinds.set(identifier, kind);
  }
  return kind;
}

/** The kind a token names, or null. */
function kindOf(token, file) {
  if (token.kind === 'identifier') return identifierKind(token.value);
  const value = token.value;
  if (value.startsWith('.')) {
    // An import path: does it land in a kind's folder?
    const target = relative(root, resolve(dirname(join(root, file)), value)).split(sep).join('/');
    const m = /^kinds\/([a-z]+)(\/|$)/.exec(target);
    if (m && KINDS.includes(m[1])) return m[1];
  }
  const lower = value.toLowerCase();
  for (const [kind, tags] of Object.entries(TAGS)) if (tags.includes(lower)) return kind;
  for (const [kind, atStart, anywhere] of PREFIX) if ((token.kind === 'template' ? anywhere : atStart).test(lower)) return kind;
  return null;
}

function allowed(file, value) {
  return ALLOWED.some(([path, names]) => path === file && (names === '*' || names.includes(value)));
}

const started = process.cpuUsage();
const offenders = [];
const files = walk(root);
for (const path of files) {
  const file = relative(root, path).split(sep).join('/');
  if (REGISTRY.has(file)) continue;
  const own = /^kinds\/([a-z]+)\//.exec(file)?.[1];
  for (const token of tokens(readFileSync(path, 'utf8'))) {
    const kind = kindOf(token, file);
    if (kind && kind !== own && !allowed(file, token.value)) offenders.push(`${file}:${token.line}: ${JSON.stringify(token.value)} names the ${kind} kind`);
  }
}

if (offenders.length > 0) {
  console.error(`kind names outside their folders (${offenders.length}); move the code into src/kinds/<kind>/, go through a registry file, or allow-list it with a reason in scripts/check-kind-names.mjs:`);
  for (const o of offenders) console.error(`  ${o}`);
  process.exit(1);
}
console.log(`no kind names outside their folders and the registry (${files.length} files, ${Math.round((process.cpuUsage(started).user + process.cpuUsage(started).system) / 1000)} ms of CPU)`);
