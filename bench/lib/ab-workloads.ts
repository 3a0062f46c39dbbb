/*
 * The workloads of bench/ab-builds.ts, each prepared on one build's own API (bench/lib/ab.ts):
 *   - target 2: `evaluate` of seeded 5-line purchases on the 20-rule program, on an account with
 *     8 purchases of history (as bench/pipeline.ts);
 *   - target 7: `createLoyalty(...).process` of raw inputs over a fresh memory store whose
 *     customers each have purchases of history (as bench/service.ts; the store is rebuilt,
 *     untimed, before every pass, so every pass and build starts from the same state);
 *   - target 3: `tick` (quiet and busy), `quote` and `redeem` on an account with 1,000 open lots
 *     (as bench/scaling.ts's open-lot axis: at BUSY, 3 lots expire, 3 are released, 3 get a notice).
 * Each workload's output (decisions or results with their entries, and the balances after them)
 * is what the builds must agree on before anything is timed.
 */
import type { Loyalty, LoyaltyEvent, LoyaltyEventInput, Program } from '../../src';
import type { AccountState, Decision } from '../../src/core';
import type { Customer } from '../../src/schema/customer';
import type { AbOptions, BuildApi, Subject, Workload } from './ab';
import { LOTS_CONFIG, TWENTY_RULE_CONFIG } from './ab-programs';
import { rawPurchases } from './programs';

/** The sizes of the workloads (the passes are in AbOptions). */
export interface WorkloadSizes {
  /** Distinct purchases `evaluate` cycles through (and the output check evaluates). */
  readonly events: number;
  /** Customers of the service workload. */
  readonly customers: number;
  /** Purchases of history per customer, processed (untimed) into each fresh store. */
  readonly serviceHistory: number;
  /** `process` calls per timed pass. */
  readonly processOps: number;
  /** Open lots of the target 3 account. */
  readonly lots: number;
}

const HISTORY_PURCHASES = 8;
const customer: Customer = { id: 'c1', enrolledAt: new Date('2026-01-01T00:00:00Z'), tags: [], attributes: {} };
/** After every purchase of the streams (March 2027). */
const AFTER_STREAM = new Date('2027-04-01T00:00:00Z');

/**
 * A value as compared, copied through JSON at once. Outputs must not keep what the library made:
 * when the check kept 2,000 of evaluate's decisions alive, V8 marked evaluate's allocation sites
 * long-lived ("pretenuring", as bench/service.ts explains) and the timed calls after it ran 5×
 * slower (13 → 60-90 CPU-µs per evaluate on build B, in separate runs back to back).
 */
const snapshot = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null)) as unknown;

/** A decision as compared: its transaction (with entries) and notifications, or its issues; no explanation. */
function decisionOutput(d: Decision): unknown {
  return snapshot(d.ok ? { ok: true, transaction: d.transaction, notifications: d.notifications } : { ok: false, issues: d.issues });
}

function must(d: Decision, what: string): Decision {
  if (!d.ok) throw new Error(`ab-builds: ${what} refused: ${JSON.stringify(d.issues)}`);
  return d;
}

/** Target 2: evaluate on an account with history; output: every decision, and the account's balance after it. */
export function evaluateWorkload(sizes: WorkloadSizes): Workload {
  const raw = rawPurchases(HISTORY_PURCHASES + sizes.events);
  return {
    name: 'evaluate, 5-line purchase, 20 rules, account with history (target 2)',
    prepare: async (api) => {
      const program = api.defineProgram(TWENTY_RULE_CONFIG);
      const parsed = raw.map((e) => api.parseEvent(e));
      let account = api.openAccount(program, 'c1');
      for (const e of parsed.slice(0, HISTORY_PURCHASES)) {
        const d = must(api.evaluate(program, account, e, { customer }), `history ${e.id}`);
        if (d.ok && d.transaction) account = api.applyEntries(account, d.transaction);
      }
      const events = parsed.slice(HISTORY_PURCHASES);
      // Each decision applied to the account it was made on, and the balance after it (a fold of
      // the whole stream would grow one account to thousands of lots, unlike the timed one).
      const output = async (): Promise<unknown> =>
        events.map((e) => {
          const d = must(api.evaluate(program, account, e, { customer }), e.id);
          const after = d.ok && d.transaction ? api.applyEntries(account, d.transaction) : account;
          return { decision: decisionOutput(d), balance: snapshot(api.balanceAt(after, AFTER_STREAM)) };
        });
      const run = (_pass: number, n: number): void => {
        for (let i = 0; i < n; i++) api.evaluate(program, account, events[i % events.length] as LoyaltyEvent, { customer });
      };
      return { output, run };
    },
  };
}

/** Target 7: process, one raw input at a time, over a memory store with history; output: every result and every balance. */
export function processWorkload(sizes: WorkloadSizes): Workload {
  const NOW = '2027-03-30T00:00:00Z';
  const customerOf = (i: number): string => `c${i % sizes.customers}`;
  const history = rawPurchases(sizes.customers * sizes.serviceHistory, { seed: 11, prefix: 'history-', customerOf });
  const stream = (pass: number, n: number): LoyaltyEventInput[] => rawPurchases(n, { seed: 1000 + pass, prefix: `p${pass}-`, customerOf });
  return {
    name: 'process, raw 5-line purchases, memory store with history (target 7)',
    ops: sizes.processOps,
    prepare: async (api) => {
      const program = api.defineProgram(TWENTY_RULE_CONFIG);
      const fresh = async (): Promise<Loyalty> => {
        const loyalty = api.createLoyalty({ programs: [program], store: api.memoryStore(), clock: api.fixedClock(NOW) });
        for (let c = 0; c < sizes.customers; c++) await loyalty.upsertCustomer({ customer: { id: `c${c}`, enrolledAt: '2026-01-01T00:00:00Z' } });
        for (const e of history) await loyalty.process(e);
        return loyalty;
      };
      let loyalty: Loyalty | undefined;
      let inputs: LoyaltyEventInput[] = [];
      const subject: Subject = {
        output: async () => {
          const l = await fresh();
          const results: unknown[] = [];
          for (const e of stream(0, Math.min(sizes.processOps, 500))) results.push(snapshot(await l.process(e)));
          const balances: unknown[] = [];
          for (let c = 0; c < sizes.customers; c++) balances.push(snapshot((await l.account({ programId: program.id, customerId: `c${c}` })).balances));
          return { results, balances };
        },
        setup: async (pass, n) => {
          loyalty = await fresh();
          inputs = stream(pass, n);
        },
        run: async () => {
          if (!loyalty) throw new Error('ab-builds: process run without setup');
          for (const e of inputs) await loyalty.process(e);
        },
      };
      return subject;
    },
  };
}

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2030, 5, 1, 12);
const BUSY = NOW + DAY;
const DUE = 3;

/** bench/scaling.ts's lot instants: at BUSY exactly DUE lots expire, DUE are released and DUE get a notice. */
function lotInstants(lots: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < DUE; i++) out.push(BUSY - 365 * DAY - i);
  for (let i = 0; i < DUE; i++) out.push(BUSY + 30 * DAY - 365 * DAY - MIN + i);
  for (let i = 0; i < DUE; i++) out.push(NOW - 13.5 * DAY + i);
  const rest = Math.max(0, lots - 3 * DUE);
  const pending = Math.floor(rest / 10);
  for (let i = 0; i < pending; i++) out.push(NOW - 12 * DAY + Math.floor((i * 12 * DAY) / pending));
  for (let i = 0; i < rest - pending; i++) out.push(BUSY - 320 * DAY + Math.floor((i * 300 * DAY) / (rest - pending)));
  return out.sort((a, b) => a - b);
}

interface LotsAccount {
  readonly program: Program;
  readonly state: AccountState;
}

/** The open-lot account, built once per build (the workloads share it; every operation on it is pure). */
function lotsAccount(api: BuildApi, lots: number, cache: WeakMap<BuildApi, LotsAccount>): LotsAccount {
  const cached = cache.get(api);
  if (cached) return cached;
  const program = api.defineProgram(LOTS_CONFIG);
  let state = api.openAccount(program, 'c1');
  lotInstants(lots).forEach((at, j) => {
    const id = `l${j}`;
    const event = api.parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: id, currency: 'USD', occurredAt: new Date(at).toISOString(), lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '10' }] });
    const d = must(api.evaluate(program, state, event), `lot purchase ${id}`);
    if (d.ok && d.transaction) state = api.applyEntries(state, d.transaction);
  });
  const d = must(api.tick(program, state, new Date(NOW)), 'tick at now');
  if (d.ok && d.transaction) state = api.applyEntries(state, d.transaction);
  const made = { program, state };
  cache.set(api, made);
  return made;
}

type LotsOp = (api: BuildApi, a: LotsAccount) => { readonly output: () => unknown; readonly op: (i: number) => unknown };

const LOTS_OPS: readonly (readonly [string, LotsOp])[] = [
  ['tick (quiet)', (api, { program, state }) => ({ output: () => decisionOutput(api.tick(program, state, new Date(NOW))), op: () => api.tick(program, state, new Date(NOW)) })],
  [
    'tick (busy: 3 expire, 3 release, 3 notices)',
    (api, { program, state }) => {
      const busy = (): Decision => api.tick(program, state, new Date(BUSY));
      const check = (): unknown => {
        const d = busy();
        const kinds = d.ok && d.transaction ? d.transaction.entries.map((e) => e.kind) : [];
        if (!kinds.includes('expire') || !kinds.includes('release')) throw new Error(`ab-builds: the busy tick does no expiry or release: ${kinds.join(', ')}`);
        return decisionOutput(d);
      };
      return { output: check, op: busy };
    },
  ],
  [
    'quote (max points)',
    (api, { program, state }) => {
      const request = api.quoteRequestSchema.parse({ order: { currency: 'USD', lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: '40' }] }, points: 'max', at: new Date(NOW) });
      return { output: () => snapshot(api.quote(program, state, request)), op: () => api.quote(program, state, request) };
    },
  ],
  [
    'redeem (25 points)',
    (api, { program, state }) => {
      const requests = Array.from({ length: 16 }, (_, i) => api.redeemRequestSchema.parse({ requestId: `r${i}`, points: 25, at: new Date(NOW) }));
      const redeemOne = (i: number): Decision => api.redeem(program, state, requests[i % 16] as (typeof requests)[number]);
      return { output: () => requests.map((_, i) => decisionOutput(must(redeemOne(i), `redeem r${i}`))), op: redeemOne };
    },
  ],
];

/** Target 3: tick, quote and redeem on an account with `sizes.lots` open lots; output: the results and the balances. */
export function lotWorkloads(sizes: WorkloadSizes): Workload[] {
  const cache = new WeakMap<BuildApi, LotsAccount>();
  return LOTS_OPS.map(([op, make]) => ({
    name: `${op}, ${sizes.lots} open lots (target 3)`,
    prepare: async (api) => {
      const account = lotsAccount(api, sizes.lots, cache);
      const { output, op: body } = make(api, account);
      const balances = snapshot([NOW, BUSY].map((t) => api.balanceAt(account.state, new Date(t))));
      return {
        output: async () => ({ result: output(), lots: account.state.lots.length, balances }),
        run: (_pass: number, n: number) => {
          for (let i = 0; i < n; i++) body(i);
        },
      };
    },
  }));
}

/** The sizes and passes of a run of bench/ab-builds.ts. */
export interface Preset {
  readonly sizes: WorkloadSizes;
  readonly options: Omit<AbOptions, 'log'>;
}

/** bench/ab-builds.ts's presets: the default (full), `--quick` and `--tiny`. */
export const PRESETS: Readonly<Record<'full' | 'quick' | 'tiny', Preset>> = {
  full: { sizes: { events: 2_000, customers: 100, serviceHistory: 20, processOps: 2_000, lots: 1_000 }, options: { passes: 31, warmup: 2, warmMs: 1_500, passMs: 40 } },
  quick: { sizes: { events: 500, customers: 100, serviceHistory: 5, processOps: 500, lots: 1_000 }, options: { passes: 11, warmup: 1, warmMs: 300, passMs: 20 } },
  // For test/bench/ab-builds.test.ts: exercises every path in a few seconds; its figures mean nothing.
  tiny: { sizes: { events: 20, customers: 4, serviceHistory: 2, processOps: 20, lots: 40 }, options: { passes: 3, warmup: 1, warmMs: 0, passMs: 1 } },
};

/** Every workload, in the order of the table. */
export function allWorkloads(sizes: WorkloadSizes): Workload[] {
  return [evaluateWorkload(sizes), processWorkload(sizes), ...lotWorkloads(sizes)];
}
