/*
 * Target 6's cost per event, both sides: a throwaway server (bench/lib/pg-server.ts), 8 clients
 * processing a fixed number of 5-line purchases over `postgresStore` (the same events as
 * bench/postgres.ts), and per event: this process's CPU, the server's CPU (user + system of the
 * postmaster and its children, from /proc), WAL bytes (pg_current_wal_lsn deltas) and the
 * statements' own server time (pg_stat_statements). Every stored transaction is then hashed, so
 * two builds can be shown to store the same ledger.
 *
 * `npx tsx bench/pg-profile.ts [events] [customers] [--statements]` (defaults 1,600 and 160;
 * --statements loads pg_stat_statements and prints each statement's server time per event). Add
 * `node --cpu-prof --import tsx` for the Node side's profile. Linux only (/proc).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createLoyalty, fixedClock } from '../src';
import { fromPgPool, migrate, postgresStore, type SqlDriver } from '../src/adapters/postgres';
import { twentyRuleProgram } from './lib/programs';
import { findPgBin, startThrowawayServer, type ThrowawayServer } from './lib/pg-server';
import { purchase } from './postgres';

const CLIENTS = 8;
/** CPU seconds (user + system) of the server: its client backends, and the rest (postmaster, WAL writer, checkpointer, autovacuum…). */
function serverCpuSeconds(server: ThrowawayServer): { backends: number; background: number } {
  const main = Number(readFileSync(join(server.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const tick = 100;
  const total = { backends: 0, background: 0 };
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    const ppid = Number(fields[1]);
    if (pid !== main && ppid !== main) continue;
    let backend = false;
    try {
      backend = readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('127.0.0.1');
    } catch {
      continue;
    }
    total[backend ? 'backends' : 'background'] += (Number(fields[11]) + Number(fields[12])) / tick;
  }
  return total;
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 1600);
  const customersTotal = Number(process.argv[3] ?? 160);
  const bin = findPgBin();
  if (!bin) throw new Error('no PostgreSQL binaries');
  const withStats = process.argv.includes('--statements');
  // --auto-explain: the plans the backends run that take 20 ms or more, copied to /tmp/pg-profile-plans.log.
  const autoExplain = process.argv.includes('--auto-explain');
  const settings = autoExplain ? ['session_preload_libraries=auto_explain', 'auto_explain.log_min_duration=20ms', 'auto_explain.log_analyze=on', 'auto_explain.log_buffers=on'] : [];
  const server = await startThrowawayServer(bin, withStats ? [...settings, 'shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track_planning=on'] : settings);
  const pool = new pg.Pool({ connectionString: server.url, max: CLIENTS });
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    if (withStats) await admin.query('CREATE EXTENSION pg_stat_statements');
    // --explain: the last prefetch and write are explained at the end (generic plan, rolled back).
    const last = new Map<string, readonly unknown[]>();
    const base = fromPgPool(pool);
    const driver: SqlDriver = process.argv.includes('--explain')
      ? { ...base, transaction: (fn) => base.transaction((tx) => fn({ query: (sql, params) => (last.set(sql, params ?? []), tx.query(sql, params)) })) }
      : base;
    await migrate(driver);
    const loyalty = createLoyalty({ programs: [twentyRuleProgram()], store: postgresStore({ driver, tenantId: 'bench' }), clock: fixedClock('2027-04-01T00:00:00Z') });
    const perClient = Math.max(1, Math.floor(customersTotal / CLIENTS));
    const customers = Array.from({ length: CLIENTS }, (_, c) => Array.from({ length: perClient }, (_, k) => `c${c}-${k}`));
    for (const mine of customers) for (const id of mine) await loyalty.upsertCustomer({ customer: { id, enrolledAt: '2026-01-01T00:00:00Z', tags: id.endsWith('0') ? ['vip'] : [] } });
    // Each client's events are its own fixed sequence, so the stored ledger is the same whatever
    // the interleaving (the ledger hash compares builds).
    const sent = customers.map(() => 0);
    let next = 0;
    const runEvents = async (count: number): Promise<void> => {
      const each = Math.ceil(count / CLIENTS);
      await Promise.all(customers.map(async (mine, c) => {
        for (let k = 0; k < each; k++) {
          const n = (sent[c] = (sent[c] ?? 0) + 1);
          next += 1;
          await loyalty.process(purchase(`e${c}-${n}`, mine[n % mine.length] ?? 'c0-0', c * 7 + n));
        }
      }));
    };
    await runEvents(Math.min(200, Math.floor(events / 8)));
    if (withStats) await admin.query('SELECT pg_stat_statements_reset()');
    const wal0 = String((await admin.query('SELECT pg_current_wal_lsn()::text AS l')).rows[0]?.l);
    const server0 = serverCpuSeconds(server);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const first = next;
    await runEvents(events);
    const done = next - first;
    const wall = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const server1 = serverCpuSeconds(server);
    const walBytes = Number((await admin.query('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS d', [wal0])).rows[0]?.d);
    const hash = createHash('sha256');
    const txns = await admin.query("SELECT customer_id, seq, transaction_id, program_version, at, cause::text, entries::text FROM loyalty_transactions WHERE tenant_id = 'bench' ORDER BY customer_id, seq");
    for (const r of txns.rows) hash.update(JSON.stringify(r));
    const posts = await admin.query("SELECT customer_id, seq, entry_index, posting_index, account, unit, amount::text FROM loyalty_postings WHERE tenant_id = 'bench' ORDER BY 1, 2, 3, 4");
    for (const r of posts.rows) hash.update(JSON.stringify(r));
    const sizes = await admin.query("SELECT avg(pg_column_size(state))::int AS stored, avg(length(state::text))::int AS text FROM loyalty_accounts WHERE tenant_id = 'bench'");
    console.log(
      JSON.stringify({
        events: done,
        eventsPerSecond: Math.round(done / wall),
        nodeCpuMsPerEvent: +((used.user + used.system) / 1000 / done).toFixed(3),
        backendCpuMsPerEvent: +(((server1.backends - server0.backends) * 1000) / done).toFixed(3),
        backgroundCpuMsPerEvent: +(((server1.background - server0.background) * 1000) / done).toFixed(3),
        walBytesPerEvent: Math.round(walBytes / done),
        stateBytes: sizes.rows[0],
        transactions: txns.rows.length,
        ledgerHash: hash.digest('hex').slice(0, 16),
        load: readFileSync('/proc/loadavg', 'utf8').split(' ')[0],
      }),
    );
    if (withStats) {
      const top = await admin.query("SELECT calls, plans, round(total_plan_time::numeric / $1, 3)::text AS plan_ms, round(total_exec_time::numeric / $1, 3)::text AS ms_per_event, round(mean_exec_time::numeric, 3)::text AS mean_ms, shared_blks_hit + shared_blks_read AS blocks, wal_bytes::bigint / $1 AS wal_per_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS q FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 8", [done]);
      console.table(top.rows);
    }
    for (const [sql, params] of last) {
      if (!sql.startsWith('WITH')) continue;
      for (const mode of ['force_generic_plan', 'force_custom_plan']) {
        await admin.query('BEGIN');
        await admin.query(`SET LOCAL plan_cache_mode = '${mode}'`);
        await admin.query(`PREPARE explained AS ${sql}`);
        const literals = params.map((p) => (p === null ? 'NULL' : `'${String(p).replace(/'/g, "''")}'`)).join(', ');
        const plan = await admin.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE explained(${literals})`);
        console.log(`-- ${mode}\n${plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`);
        await admin.query('ROLLBACK');
        await admin.query('DEALLOCATE explained');
      }
    }
    await admin.end();
  } finally {
    await pool.end();
    if (autoExplain) copyFileSync(join(server.dir, 'server.log'), '/tmp/pg-profile-plans.log');
    server.stop();
  }
}

await main();
