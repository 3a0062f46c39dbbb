// Issue 13's acceptance: a kind's names (identifiers, string literals, import paths) appear only
// in its folder, the registry files, and the script's allow-list (each entry with a reason).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'check-kind-names.mjs');
const made: string[] = [];

/** A src/ tree with two kinds, their registry, and `files`. */
function tree(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'check-kind-names-'));
  made.push(root);
  const all: Record<string, string> = {
    'kinds/tiered/hooks.ts': "export const tieredHooks = { kind: 'tiered' };\nexport function tierOf(): string { return 'gold'; }\n",
    'kinds/points/hooks.ts': 'export const pointsHooks = {};\n',
    'kinds/index.ts': "import { tieredHooks } from './tiered/hooks';\nimport { pointsHooks } from './points/hooks';\nexport const KINDS = { tiered: tieredHooks, points: pointsHooks };\n",
    'kinds/api.ts': "export { tierOf } from './tiered/hooks';\n",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root?: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, root ? [script, root] : [script], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

afterEach(() => {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('scripts/check-kind-names.mjs', { timeout: 120_000 }, () => {
  test('passes on src/', () => {
    const r = check();
    expect(r.out).toContain('no kind names outside their folders');
    expect(r.status).toBe(0);
  });

  test('passes on a tree where only the kind folder and the registry name the kind; comments are English, not references', () => {
    const r = check(tree({ 'engine/evaluate.ts': "// The tier a customer holds is the tiered kind's business.\nexport const hooks = KINDS[program.config.kind];\n" }));
    expect(r.out).toContain('no kind names outside their folders');
    expect(r.status).toBe(0);
  });

  test('fails on each planted reference, naming file, line, name and kind', () => {
    const r = check(
      tree({
        'engine/branch.ts': "export const isTiered = (kind: string): boolean => kind === 'tiered';\n",
        'engine/reach.ts': "import { tierOf } from '../kinds/tiered/hooks';\nexport const t = tierOf;\n",
        'engine/notes.ts': "export const type = 'tier.upgraded';\nexport const id = `${x}:tier:${y}`;\n",
        'kinds/points/cross.ts': "import { tieredHooks } from '../tiered/hooks';\nexport const h = tieredHooks;\n",
      }),
    );
    expect(r.status).toBe(1);
    expect(r.out).toContain('engine/branch.ts:1: "isTiered" names the tiered kind');
    expect(r.out).toContain('engine/branch.ts:1: "tiered" names the tiered kind');
    expect(r.out).toContain('engine/reach.ts:1: "../kinds/tiered/hooks" names the tiered kind');
    expect(r.out).toContain('engine/reach.ts:2: "tierOf" names the tiered kind');
    expect(r.out).toContain('engine/notes.ts:1: "tier.upgraded" names the tiered kind');
    expect(r.out).toContain('engine/notes.ts:2: ":tier:" names the tiered kind');
    expect(r.out).toContain('kinds/points/cross.ts:1: "../tiered/hooks" names the tiered kind');
  });

  test("the events registry (kinds/events.ts) may take a kind's events from its folder; the generic event union may not name them, nor the names the registry takes", () => {
    const registry = {
      'kinds/paid/events.ts': "export const paidEvents = { types: ['membership_started'] };\n",
      'kinds/events.ts': "import { paidEvents } from './paid/events';\nexport const KIND_EVENT_TYPES = [...paidEvents.types];\n",
    };
    const clean = check(tree({ ...registry, 'schema/events.ts': "import { KIND_EVENT_TYPES } from '../kinds/events';\nexport const TYPES = ['signup', ...KIND_EVENT_TYPES];\n" }));
    expect(clean.out).toContain('no kind names outside their folders');
    expect(clean.status).toBe(0);

    const r = check(
      tree({
        ...registry,
        'schema/events.ts': "export const TYPES = ['signup', 'membership_started'];\n",
        'schema/fast/event.ts': "import { paidEvents } from '../../kinds/paid/events';\nexport const fast = paidEvents;\n",
      }),
    );
    expect(r.status).toBe(1);
    expect(r.out).toContain('schema/events.ts:1: "membership_started" names the paid kind');
    expect(r.out).toContain('schema/fast/event.ts:1: "../../kinds/paid/events" names the paid kind');
    expect(r.out).toContain('schema/fast/event.ts:2: "paidEvents" names the paid kind');
    expect(r.out).not.toContain('kinds/events.ts');
  });

  test("the ids registry (kinds/ids.ts) may take a kind's id shapes from its folder; the ledger's id builder may not name them", () => {
    const registry = {
      'kinds/tiered/ids.ts': "export const tieredIds = { yearlyLotMarks: ['tier-birthday'] } as const;\n",
      'kinds/ids.ts': "import { tieredIds } from './tiered/ids';\nexport const KIND_YEARLY_LOT_MARKS = [...tieredIds.yearlyLotMarks] as const;\n",
    };
    const clean = check(tree({ ...registry, 'ledger/ids.ts': "import { KIND_YEARLY_LOT_MARKS } from '../kinds/ids';\nexport const RESERVED = new Set(['adjust', ...KIND_YEARLY_LOT_MARKS]);\n" }));
    expect(clean.out).toContain('no kind names outside their folders');
    expect(clean.status).toBe(0);

    const r = check(tree({ ...registry, 'ledger/ids.ts': "export const RESERVED = new Set(['adjust', 'tier-birthday']);\nexport const lot = (e: string, c: string) => `${e}:card:${c}`;\n" }));
    expect(r.status).toBe(1);
    expect(r.out).toContain('ledger/ids.ts:1: "tier-birthday" names the tiered kind');
    expect(r.out).toContain('ledger/ids.ts:2: ":card:" names the punch kind');
  });
});
