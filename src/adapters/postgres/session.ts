// One unit of work over one SQL transaction: the StoreSession of the PostgreSQL store.
import { LoyaltyError } from '../../errors';
import { orderIdsOf } from '../../ledger/orders';
import type { AccountState, Transaction } from '../../ledger/types';
import type { Notification } from '../../engine/notifications';
import type { AccountWrite, AppendBatch, ForgetResult, HistoryPage, OutboxRow, ProcessedRecord, ProgramOutcome, Schedule, StoreSession, StoredCustomer } from '../../store/types';
import type { Customer } from '../../schema/customer';
import type { SqlQueryable } from './driver';
import { isRef, outcomesDocument, outcomesOf } from './records';
import { accountKey, batchable, noPrefetch, prefetchRows, transactionKey, writeBatch } from './batch';
import { causeIdOf, dateOf, dateOrNull, fromJson, instant, jsonText, numberOf, POSTING_COLUMNS, postingRows, stateOf, stateText, TRANSACTION_COLUMNS, transactionOf, valuesList, type TransactionRow } from './rows';

/** Where a session writes: the connection, the tenant, and how to name a table. */
export interface SessionContext {
  readonly tx: SqlQueryable;
  readonly tenantId: string;
  /** A table's name, schema-qualified when the store has a schema. */
  readonly table: (name: string) => string;
  /** Lock each account row read (`FOR UPDATE`) until the unit ends. */
  readonly lockAccounts: boolean;
}

const conflict = (programId: string, customerId: string, message: string): LoyaltyError =>
  new LoyaltyError([{ code: 'version_conflict', path: ['accounts', programId, customerId], message }]);

/** A unit's session, and the idempotency keys it looked up and did not find. */
export interface SqlSession {
  readonly session: StoreSession;
  readonly missedKeys: ReadonlySet<string>;
}

/** Creates the session of one unit of work. */
export function sqlSession(ctx: SessionContext): SqlSession {
  const { tx, tenantId: tenant, table: t } = ctx;
  // Counters read in this unit, with what the unit has added since: an add is checked against
  // them (UPDATE … WHERE value = read), so two units deciding on one counter cannot both win.
  const counted = new Map<string, number>();
  // Event and request keys looked up and not found: if the unit then fails, the store checks
  // whether a racing duplicate committed one of them meanwhile (see postgresStore).
  const missedKeys = new Set<string>();
  // What `prefetch` read: answers the reads that follow without a round trip, until the unit
  // writes anything (reads see the unit's own writes, so any write drops it).
  let cached = noPrefetch();
  const wrote = (): void => {
    if (cached.customers.size > 0) cached = noPrefetch();
  };

  const one = async (sql: string, params: readonly unknown[]): Promise<Record<string, unknown> | undefined> => (await tx.query(sql, params)).rows[0];
  const readTransactions = async (where: string, params: readonly unknown[], tail = 'ORDER BY seq'): Promise<Transaction[]> =>
    (await tx.query<TransactionRow>(`SELECT ${TRANSACTION_COLUMNS} FROM ${t('loyalty_transactions')} WHERE ${where} ${tail}`, params)).rows.map(transactionOf);

  async function moveAccount(w: AccountWrite): Promise<void> {
    const params = [tenant, w.customerId, w.programId, w.state.version, stateText(w.state), w.expectedVersion];
    const updated = await tx.query(
      `UPDATE ${t('loyalty_accounts')} SET version = $4, state = $5::jsonb WHERE tenant_id = $1 AND customer_id = $2 AND program_id = $3 AND version = $6`,
      params,
    );
    if (updated.rowCount === 1) return;
    if (w.expectedVersion === 0) {
      const inserted = await tx.query(
        `INSERT INTO ${t('loyalty_accounts')} (tenant_id, customer_id, program_id, version, state) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT DO NOTHING`,
        params.slice(0, 5),
      );
      if (inserted.rowCount === 1) return;
    }
    throw conflict(w.programId, w.customerId, `account moved from version ${w.expectedVersion}`);
  }

  async function insertTransaction(w: AccountWrite): Promise<void> {
    const key = [tenant, w.customerId, w.programId];
    const txn = w.transaction;
    const seq = w.state.version;
    const dup = await one(`SELECT 1 AS x FROM ${t('loyalty_transactions')} WHERE tenant_id = $1 AND customer_id = $2 AND program_id = $3 AND transaction_id = $4`, [...key, txn.id]);
    if (dup) throw new LoyaltyError([{ code: 'duplicate_transaction', path: ['accounts', w.programId, w.customerId], message: `the account already has transaction ${txn.id}` }]);
    await tx.query(
      `INSERT INTO ${t('loyalty_transactions')} (tenant_id, customer_id, program_id, seq, transaction_id, program_version, at, cause_kind, cause_id, cause, entries)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9, $10::jsonb, $11::jsonb)`,
      [...key, seq, txn.id, txn.programVersion, instant(txn.at), txn.cause.kind, causeIdOf(txn.cause), jsonText(txn.cause), jsonText(txn.entries)],
    );
    const postings = postingRows(txn);
    if (postings.length > 0) {
      const width = 4 + POSTING_COLUMNS.length;
      const casts = ['', '', '', '', '', '', '', '', '', '', '::numeric', '', '::timestamptz'];
      await tx.query(
        `INSERT INTO ${t('loyalty_postings')} (tenant_id, customer_id, program_id, seq, ${POSTING_COLUMNS.join(', ')}) VALUES ${valuesList(postings.length, width, 0, casts)}`,
        postings.flatMap((p) => [...key, seq, ...p]),
      );
    }
    const orders = [...orderIdsOf(txn)];
    if (orders.length > 0) {
      await tx.query(
        `INSERT INTO ${t('loyalty_transaction_orders')} (tenant_id, customer_id, program_id, order_id, seq) VALUES ${valuesList(orders.length, 5, 0)}`,
        orders.flatMap((o) => [...key, o, seq]),
      );
    }
  }

  async function insertOutbox(notifications: readonly Notification[]): Promise<void> {
    if (notifications.length === 0) return;
    await tx.query(
      `INSERT INTO ${t('loyalty_outbox')} (tenant_id, customer_id, notification) VALUES ${valuesList(notifications.length, 3, 0, ['', '', '::jsonb'])}`,
      notifications.flatMap((n) => [tenant, n.customerId, jsonText(n)]),
    );
  }

  async function idInUse(id: string): Promise<boolean> {
    const hit = await one(
      `SELECT 1 AS x FROM ${t('loyalty_customers')} WHERE tenant_id = $1 AND customer_id = $2
       UNION ALL SELECT 1 FROM ${t('loyalty_accounts')} WHERE tenant_id = $1 AND customer_id = $2
       UNION ALL SELECT 1 FROM ${t('loyalty_transactions')} WHERE tenant_id = $1 AND customer_id = $2
       UNION ALL SELECT 1 FROM ${t('loyalty_processed')} WHERE tenant_id = $1 AND customer_id = $2
       LIMIT 1`,
      [tenant, id],
    );
    return hit !== undefined;
  }

  /** Moves every row of a customer under `to` (the profile is deleted by the caller). */
  async function rekey(from: string, to: string): Promise<void> {
    for (const name of ['loyalty_accounts', 'loyalty_transactions', 'loyalty_postings', 'loyalty_transaction_orders', 'loyalty_schedules', 'loyalty_outbox']) {
      await tx.query(`UPDATE ${t(name)} SET customer_id = $3 WHERE tenant_id = $1 AND customer_id = $2`, [tenant, from, to]);
    }
    // Notifications and recorded outcomes carry the customer id inside their documents.
    await tx.query(`UPDATE ${t('loyalty_outbox')} SET notification = jsonb_set(notification, '{customerId}', to_jsonb($2::text)) WHERE tenant_id = $1 AND customer_id = $2`, [tenant, to]);
    const records = await tx.query(`SELECT event_key, outcomes FROM ${t('loyalty_processed')} WHERE tenant_id = $1 AND customer_id = $2`, [tenant, from]);
    for (const row of records.rows) {
      // A referenced transaction is rekeyed with its row above; a whole one is rewritten here.
      const outcomes = (fromJson(row.outcomes) as ProgramOutcome[]).map((o) =>
        o.ok && o.transaction
          ? { ...o, transaction: isRef(o.transaction) ? o.transaction : { ...o.transaction, customerId: to }, notifications: o.notifications.map((n) => ({ ...n, customerId: to })) }
          : o,
      );
      await tx.query(`UPDATE ${t('loyalty_processed')} SET customer_id = $3, outcomes = $4::jsonb WHERE tenant_id = $1 AND event_key = $2`, [tenant, row.event_key, to, jsonText(outcomes)]);
    }
  }

  /** Customers this unit read and found absent (see `putCustomer`). */
  const absentCustomers = new Set<string>();

  const session: StoreSession = {
    async getCustomer(customerId) {
      if (cached.customers.has(customerId)) return absentIfNone(cached.customers.get(customerId), customerId);
      // FOR UPDATE, as for accounts: two units enrolling one customer in different programs queue
      // on its row, and the second reads the first's programs instead of overwriting them.
      const lock = ctx.lockAccounts ? ' FOR UPDATE' : '';
      const row = await one(`SELECT profile, programs FROM ${t('loyalty_customers')} WHERE tenant_id = $1 AND customer_id = $2${lock}`, [tenant, customerId]);
      if (!row) {
        absentCustomers.add(customerId);
        return undefined;
      }
      absentCustomers.delete(customerId);
      return { profile: fromJson(row.profile) as Customer, programs: fromJson(row.programs) as string[] };
    },
    async putCustomer(customer: StoredCustomer) {
      wrote();
      const values = [tenant, customer.profile.id, jsonText(customer.profile), jsonText(customer.programs)];
      const insert = `INSERT INTO ${t('loyalty_customers')} (tenant_id, customer_id, profile, programs) VALUES ($1, $2, $3::jsonb, $4::jsonb)`;
      // A customer this unit read as absent is inserted without ON CONFLICT: when a racing unit
      // created it meanwhile, the unique violation on loyalty_customers_pkey re-runs this unit, which
      // then reads and merges the winner's programs (an upsert would silently overwrite them).
      if (absentCustomers.has(customer.profile.id)) await tx.query(insert, values);
      else await tx.query(`${insert} ON CONFLICT (tenant_id, customer_id) DO UPDATE SET profile = excluded.profile, programs = excluded.programs`, values);
      absentCustomers.delete(customer.profile.id);
    },
    async getAccount(programId, customerId) {
      const key = accountKey(programId, customerId);
      if (cached.accounts.has(key)) return cached.accounts.get(key);
      // FOR UPDATE: units on one hot account queue on its row instead of computing a write that
      // the version check would then refuse (the check stays, for stores that do not lock).
      const lock = ctx.lockAccounts ? ' FOR UPDATE' : '';
      const row = await one(`SELECT program_id, customer_id, version, state FROM ${t('loyalty_accounts')} WHERE tenant_id = $1 AND customer_id = $2 AND program_id = $3${lock}`, [tenant, customerId, programId]);
      return row ? stateOf(row as Parameters<typeof stateOf>[0]) : undefined;
    },
    async putAccountIfAbsent(state: AccountState) {
      wrote();
      await tx.query(`INSERT INTO ${t('loyalty_accounts')} (tenant_id, customer_id, program_id, version, state) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT DO NOTHING`, [
        tenant,
        state.customerId,
        state.programId,
        state.version,
        stateText(state),
      ]);
    },
    async getProcessed(eventId) {
      if (cached.processed.has(eventId)) {
        const record = cached.processed.get(eventId);
        if (!record) missedKeys.add(eventId);
        return record;
      }
      const row = await one(`SELECT event_key, customer_id, fingerprint, outcomes, recorded_at FROM ${t('loyalty_processed')} WHERE tenant_id = $1 AND event_key = $2`, [tenant, eventId]);
      if (!row) {
        missedKeys.add(eventId);
        return undefined;
      }
      const outcomes = await outcomesOf(tx, t, tenant, String(row.customer_id), row.outcomes);
      return { eventId: String(row.event_key), customerId: String(row.customer_id), fingerprint: String(row.fingerprint), outcomes, recordedAt: dateOf(row.recorded_at) };
    },
    async append(writes, record: ProcessedRecord | undefined, outbox) {
      wrote();
      for (const w of writes) {
        await moveAccount(w);
        await insertTransaction(w);
      }
      if (record) {
        await tx.query(
          `INSERT INTO ${t('loyalty_processed')} (tenant_id, event_key, customer_id, fingerprint, outcomes, recorded_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6::timestamptz)`,
          [tenant, record.eventId, record.customerId, record.fingerprint, JSON.stringify(outcomesDocument(record, writes)), instant(record.recordedAt)],
        );
      }
      await insertOutbox(outbox);
    },
    async transactionsByOrder(programId, customerId, orderId) {
      return readTransactions(
        `tenant_id = $1 AND customer_id = $2 AND program_id = $3 AND seq IN (SELECT seq FROM ${t('loyalty_transaction_orders')} WHERE tenant_id = $1 AND customer_id = $2 AND program_id = $3 AND order_id = $4)`,
        [tenant, customerId, programId, orderId],
      );
    },
    async transactions(programId, customerId) {
      return readTransactions('tenant_id = $1 AND customer_id = $2 AND program_id = $3', [tenant, customerId, programId]);
    },
    async history(programId, customerId, page): Promise<HistoryPage> {
      const before = page.before ?? Number.MAX_SAFE_INTEGER;
      const rows = await tx.query<TransactionRow & { seq: unknown }>(
        `SELECT seq, ${TRANSACTION_COLUMNS} FROM ${t('loyalty_transactions')} WHERE tenant_id = $1 AND customer_id = $2 AND program_id = $3 AND seq <= $4 ORDER BY seq DESC LIMIT $5`,
        [tenant, customerId, programId, before, page.limit],
      );
      const transactions = rows.rows.map(transactionOf);
      const last = rows.rows[rows.rows.length - 1];
      const start = last ? numberOf(last.seq) - 1 : 0;
      return start > 0 && transactions.length > 0 ? { transactions, next: start } : { transactions };
    },
    async forgetCustomer(customerId, pseudonym): Promise<ForgetResult> {
      if ((await session.getCustomer(customerId)) === undefined) return 'unknown_customer';
      wrote();
      if (await idInUse(pseudonym)) return 'pseudonym_taken';
      await tx.query(`DELETE FROM ${t('loyalty_customers')} WHERE tenant_id = $1 AND customer_id = $2`, [tenant, customerId]);
      await rekey(customerId, pseudonym);
      return 'forgotten';
    },
    async transaction(programId, customerId, transactionId) {
      const [found] = await readTransactions('tenant_id = $1 AND customer_id = $2 AND program_id = $3 AND transaction_id = $4', [tenant, customerId, programId, transactionId]);
      return found;
    },
    async getSchedule(programId, customerId): Promise<Schedule | undefined> {
      const key = accountKey(programId, customerId);
      if (cached.schedules.has(key)) return cached.schedules.get(key);
      const row = await one(`SELECT due_at, ticked_at FROM ${t('loyalty_schedules')} WHERE tenant_id = $1 AND customer_id = $2 AND program_id = $3`, [tenant, customerId, programId]);
      return row ? { dueAt: dateOrNull(row.due_at), tickedAt: dateOrNull(row.ticked_at) } : undefined;
    },
    async setSchedule(programId, customerId, schedule) {
      wrote();
      await tx.query(
        `INSERT INTO ${t('loyalty_schedules')} (tenant_id, customer_id, program_id, due_at, ticked_at) VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz)
         ON CONFLICT (tenant_id, customer_id, program_id) DO UPDATE SET due_at = excluded.due_at, ticked_at = excluded.ticked_at`,
        [tenant, customerId, programId, instant(schedule.dueAt), instant(schedule.tickedAt)],
      );
    },
    async dueAccounts(at, limit) {
      const rows = await tx.query(
        `SELECT program_id, customer_id FROM ${t('loyalty_schedules')} WHERE tenant_id = $1 AND due_at IS NOT NULL AND due_at <= $2::timestamptz ORDER BY due_at, program_id, customer_id LIMIT $3`,
        [tenant, instant(at), limit],
      );
      return rows.rows.map((r) => ({ programId: String(r.program_id), customerId: String(r.customer_id) }));
    },
    async counter(name) {
      const known = cached.counters.get(name);
      if (known !== undefined) {
        counted.set(name, known);
        return known;
      }
      const row = await one(`SELECT value FROM ${t('loyalty_counters')} WHERE tenant_id = $1 AND name = $2`, [tenant, name]);
      const value = row ? numberOf(row.value) : 0;
      counted.set(name, value);
      return value;
    },
    async addToCounter(name, by) {
      wrote();
      const expected = counted.get(name);
      if (expected === undefined) {
        await tx.query(
          `INSERT INTO ${t('loyalty_counters')} (tenant_id, name, value) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, name) DO UPDATE SET value = ${t('loyalty_counters')}.value + excluded.value`,
          [tenant, name, by],
        );
        return;
      }
      const updated = await tx.query(`UPDATE ${t('loyalty_counters')} SET value = value + $3 WHERE tenant_id = $1 AND name = $2 AND value = $4`, [tenant, name, by, expected]);
      let done = updated.rowCount === 1;
      if (!done && expected === 0) {
        done = (await tx.query(`INSERT INTO ${t('loyalty_counters')} (tenant_id, name, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [tenant, name, by])).rowCount === 1;
      }
      if (!done) throw new LoyaltyError([{ code: 'version_conflict', path: ['counters', name], message: `counter ${name} moved since it was read` }]);
      counted.set(name, expected + by);
    },
    async outbox(limit): Promise<readonly OutboxRow[]> {
      // SKIP LOCKED: rows another unit has taken (and not yet acknowledged or let go) are skipped,
      // so several workers can each take a batch at once.
      const rows = await tx.query(
        `SELECT seq, notification FROM ${t('loyalty_outbox')} WHERE tenant_id = $1 AND acknowledged_at IS NULL ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [tenant, limit],
      );
      return rows.rows.map((r) => ({ seq: numberOf(r.seq), notification: fromJson(r.notification) as Notification }));
    },
    async acknowledge(seqs) {
      wrote();
      if (seqs.length === 0) return;
      await tx.query(
        `UPDATE ${t('loyalty_outbox')} SET acknowledged_at = now() WHERE tenant_id = $1 AND acknowledged_at IS NULL AND seq IN (SELECT (jsonb_array_elements_text($2::jsonb))::bigint)`,
        [tenant, JSON.stringify(seqs)],
      );
    },
    async nextSequence(name) {
      wrote();
      const row = await one(
        `INSERT INTO ${t('loyalty_sequences')} (tenant_id, name, value) VALUES ($1, $2, 1) ON CONFLICT (tenant_id, name) DO UPDATE SET value = ${t('loyalty_sequences')}.value + 1 RETURNING value`,
        [tenant, name],
      );
      return numberOf(row?.value);
    },
  };
  session.prefetch = async (keys) => {
    cached = await prefetchRows({ tx, tenantId: tenant, table: t, lockAccounts: ctx.lockAccounts }, keys);
  };
  session.appendBatch = (batch) => appendBatch(batch);

  /** `appendBatch`: one statement, then the checks `addToCounter` and `append` make, in their order. */
  async function appendBatch(batch: AppendBatch): Promise<void> {
    if (!batchable(batch)) {
      for (const s of batch.schedules) await session.setSchedule(s.programId, s.customerId, s.schedule);
      for (const c of batch.counters) await session.addToCounter(c.name, c.by);
      return session.append(batch.writes, batch.processed, batch.outbox);
    }
    wrote();
    const answer = await writeBatch({ tx, tenantId: tenant, table: t, lockAccounts: ctx.lockAccounts }, batch, counted);
    for (const c of batch.counters) {
      const expected = counted.get(c.name);
      if (!answer.counters.has(c.name)) throw new LoyaltyError([{ code: 'version_conflict', path: ['counters', c.name], message: `counter ${c.name} moved since it was read` }]);
      if (expected !== undefined) counted.set(c.name, expected + c.by);
    }
    for (const w of batch.writes) {
      if (!answer.accounts.has(accountKey(w.programId, w.customerId))) throw conflict(w.programId, w.customerId, `account moved from version ${w.expectedVersion}`);
      if (!answer.transactions.has(transactionKey(w.programId, w.customerId, w.transaction.id))) {
        throw new LoyaltyError([{ code: 'duplicate_transaction', path: ['accounts', w.programId, w.customerId], message: `the account already has transaction ${w.transaction.id}` }]);
      }
    }
  }

  /** A customer answered from the prefetch, noted as absent as `getCustomer` notes it. */
  function absentIfNone(stored: StoredCustomer | undefined, customerId: string): StoredCustomer | undefined {
    if (stored) absentCustomers.delete(customerId);
    else absentCustomers.add(customerId);
    return stored;
  }

  return { session, missedKeys };
}
