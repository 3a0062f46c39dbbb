// The reference a backtest must reproduce: the same events folded through createLoyalty over the
// memory store, with the clock at each event's instant and tickDue at each day boundary of the
// program's zone (then through the end), every customer enrolled before the first event.
import { createLoyalty, fixedClock, memoryStore } from '../../src';
import type { AccountView, CustomerInput, LoyaltyEventInput, Program, Transaction } from '../../src';
import { addDaysIn, startOfDayIn } from '../../src/time';

export interface ServiceRun {
  readonly transactions: Map<string, Transaction[]>;
  readonly accounts: Map<string, AccountView>;
  readonly end: Date;
}

async function historyOf(loyalty: ReturnType<typeof createLoyalty>, programId: string, customerId: string): Promise<Transaction[]> {
  const all: Transaction[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await loyalty.history({ customerId, programId, limit: 1000, ...(before === undefined ? {} : { before }) });
    // Pages come newest first.
    all.unshift(...[...page.transactions].reverse());
    if (page.next === undefined) return all;
    before = page.next;
  }
}

export async function serviceRun(program: Program, events: readonly LoyaltyEventInput[], customers: readonly CustomerInput[]): Promise<ServiceRun> {
  const zone = program.config.timeZone;
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) throw new Error('the reference needs at least one event');
  const clock = fixedClock(new Date(first.occurredAt));
  const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
  for (const customer of customers) await loyalty.upsertCustomer({ customer });
  let boundary = addDaysIn(startOfDayIn(new Date(first.occurredAt), zone), 1, zone);
  const tickThrough = async (t: Date): Promise<void> => {
    while (boundary.getTime() <= t.getTime()) {
      clock.set(boundary);
      await loyalty.tickDue({ now: boundary, limit: 100_000 });
      boundary = addDaysIn(boundary, 1, zone);
    }
  };
  for (const event of events) {
    const at = new Date(event.occurredAt);
    await tickThrough(at);
    clock.set(at);
    try {
      await loyalty.process(event);
    } catch {
      // Thrown: an input refusal, a conflict, an unknown order. Nothing recorded; the backtest counts it.
    }
  }
  const end = addDaysIn(startOfDayIn(new Date(last.occurredAt), zone), 1, zone);
  await tickThrough(end);
  clock.set(end);
  const transactions = new Map<string, Transaction[]>();
  const accounts = new Map<string, AccountView>();
  for (const { id } of customers) {
    transactions.set(id, await historyOf(loyalty, program.id, id));
    accounts.set(id, await loyalty.account({ customerId: id, programId: program.id, at: end }));
  }
  return { transactions, accounts, end };
}
