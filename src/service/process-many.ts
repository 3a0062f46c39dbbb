// `processMany`: many events (a backfill, an import) with `process`'s idempotency and outcomes,
// but one unit of work per customer per batch instead of one per event, and each account's
// schedule computed once, after its last event of the batch.
import { isLoyaltyError } from '../errors';
import type { LoyaltyEvent } from '../schema/events';
import type { Program } from '../engine/program';
import type { AccountState } from '../ledger/types';
import type { Customer } from '../schema/customer';
import type { StoreSession, SyncStoreSession } from '../store/types';
import { reschedule, rescheduleSync } from './accounts';
import { eventFingerprint } from './canonical';
import type { ServiceContext } from './context';
import { decideEvent, decideEventSync, writeEvent, writeEventSync } from './process';
import type { ProcessManyItem, ProcessManyOptions } from './types';

/** One parsed event of the batch, with its place in the input. */
interface Pending {
  readonly index: number;
  readonly event: LoyaltyEvent;
  readonly fingerprint: string;
}

const DEFAULT_UNIT_SIZE = 1_000;

/**
 * Whether events of different customers in the batch share an event id or a purchase's order id:
 * then which one comes first decides the outcome (a conflict for the later one), so the batch runs
 * in input order, one event per unit, exactly as `process` would.
 */
function sharesKeysAcrossCustomers(batch: readonly Pending[]): boolean {
  const eventOwner = new Map<string, string>();
  const orderOwner = new Map<string, string>();
  for (const { event } of batch) {
    const byId = eventOwner.get(event.id);
    if (byId !== undefined && byId !== event.customerId) return true;
    eventOwner.set(event.id, event.customerId);
    if (event.type !== 'purchase') continue;
    const byOrder = orderOwner.get(event.orderId);
    if (byOrder !== undefined && byOrder !== event.customerId) return true;
    orderOwner.set(event.orderId, event.customerId);
  }
  return false;
}

/** The batch cut into units: per customer (in order of first appearance), at most `size` events each, input order kept. */
function unitsOf(batch: readonly Pending[], size: number): Pending[][] {
  if (sharesKeysAcrossCustomers(batch)) return batch.map((p) => [p]);
  const byCustomer = new Map<string, Pending[]>();
  for (const p of batch) {
    const list = byCustomer.get(p.event.customerId);
    if (list) list.push(p);
    else byCustomer.set(p.event.customerId, [p]);
  }
  const units: Pending[][] = [];
  for (const list of byCustomer.values()) for (let i = 0; i < list.length; i += size) units.push(list.slice(i, i + size));
  return units;
}

/** The last state written to each account in a unit, to store its schedule once at the end. */
type LastStates = Map<Program, { readonly customer: Customer; readonly state: AccountState }>;

/** Runs one unit's events in order in one session: a refusal is that event's result and writes nothing. */
async function runUnit(ctx: ServiceContext, session: StoreSession, unit: readonly Pending[]): Promise<ProcessManyItem[]> {
  const results: ProcessManyItem[] = [];
  const last: LastStates = new Map();
  for (const { event, fingerprint } of unit) {
    let decided;
    try {
      decided = await decideEvent(ctx, session, event, fingerprint);
    } catch (error) {
      // Refusals are thrown before any write (decideEvent reads only); anything else aborts the unit.
      if (!isLoyaltyError(error)) throw error;
      results.push({ ok: false, error });
      continue;
    }
    if (decided.writes) {
      await writeEvent(session, decided.writes, false);
      for (const { program, write } of decided.writes.gathered.writes) last.set(program, { customer: decided.writes.customer, state: write.state });
    }
    results.push({ ok: true, result: decided.result });
  }
  for (const [program, { customer, state }] of last) await reschedule(session, program, customer.id, customer, state);
  return results;
}

/** {@link runUnit} in a synchronous session: the same reads and writes, in the same order. */
function runUnitSync(ctx: ServiceContext, session: SyncStoreSession, unit: readonly Pending[]): ProcessManyItem[] {
  const results: ProcessManyItem[] = [];
  const last: LastStates = new Map();
  for (const { event, fingerprint } of unit) {
    let decided;
    try {
      decided = decideEventSync(ctx, session, event, fingerprint);
    } catch (error) {
      if (!isLoyaltyError(error)) throw error;
      results.push({ ok: false, error });
      continue;
    }
    if (decided.writes) {
      writeEventSync(session, decided.writes, false);
      for (const { program, write } of decided.writes.gathered.writes) last.set(program, { customer: decided.writes.customer, state: write.state });
    }
    results.push({ ok: true, result: decided.result });
  }
  for (const [program, { customer, state }] of last) rescheduleSync(session, program, customer.id, customer, state);
  return results;
}

/** Runs one unit: in the store's synchronous unit when it answers, else in `unit`. */
async function unitResults(ctx: ServiceContext, unit: readonly Pending[]): Promise<ProcessManyItem[]> {
  const sync = ctx.syncUnit?.((session) => runUnitSync(ctx, session, unit));
  return sync ? sync.value : ctx.store.unit((session) => runUnit(ctx, session, unit));
}

/** `processMany`: see `Loyalty.processMany`. */
export async function processMany(ctx: ServiceContext, inputs: readonly unknown[], parse: (input: unknown) => LoyaltyEvent, options: ProcessManyOptions = {}): Promise<ProcessManyItem[]> {
  const items = new Array<ProcessManyItem>(inputs.length);
  const batch: Pending[] = [];
  for (const [index, input] of inputs.entries()) {
    try {
      const event = parse(input);
      batch.push({ index, event, fingerprint: eventFingerprint(event) });
    } catch (error) {
      if (!isLoyaltyError(error)) throw error;
      items[index] = { ok: false, error };
    }
  }
  for (const unit of unitsOf(batch, options.unitSize ?? DEFAULT_UNIT_SIZE)) {
    let results: ProcessManyItem[];
    try {
      results = await unitResults(ctx, unit);
    } catch (error) {
      // The unit left nothing behind (a store failure, a lost race): each of its events says so, and may be sent again.
      const failure = error instanceof Error ? error : new Error(String(error));
      results = unit.map(() => ({ ok: false, error: failure }));
    }
    unit.forEach((p, i) => {
      const result = results[i];
      if (result) items[p.index] = result;
    });
  }
  return items;
}
