/*
 * Target 4's output check: a fingerprint (SHA-256) of everything a replay of the bench history
 * writes and ends with, so that a performance change can be shown to leave the outputs
 * byte-identical: every transaction as written (JSON, in order), the result (books, totals,
 * tiers, each customer's outcome, metrics) and each account's end state (lots and marks
 * included).
 *
 *   npx tsx bench/simulate-check.ts [customers=2000] [retentionDays=45|'all']
 *
 * Run it on the old and the new code with the same arguments: the printed hashes must match.
 */
import { createHash } from 'node:crypto';
import { Replay } from '../src/simulate/replay';
import { feed } from '../src/simulate/simulate';
import { resultOf } from '../src/simulate/result';
import { benchHistory, benchProgram } from './simulate-phase';

const replacer = (_key: string, value: unknown): unknown =>
  value instanceof Map ? [...value.entries()] : value instanceof Set ? [...value] : typeof value === 'bigint' ? value.toString() : value;

async function main(): Promise<void> {
  const [customersText = '2000', retentionText = '45'] = process.argv.slice(2);
  const history = benchHistory(Number(customersText));
  const txHash = createHash('sha256');
  let transactions = 0;
  const options = retentionText === 'all' ? {} : { orderRetentionDays: Number(retentionText) };
  const replay = new Replay(benchProgram, { ...options, onTransaction: (tx) => { transactions += 1; txHash.update(JSON.stringify(tx, replacer)); txHash.update('\n'); } });
  await feed(history.customers, (c) => replay.addCustomer(c));
  await feed(history.events, (e) => replay.push(e));
  const end = replay.finish();
  const result = resultOf(replay, end);
  const resultHash = createHash('sha256').update(JSON.stringify(result, replacer)).digest('hex');
  const stateHash = createHash('sha256');
  for (const slot of replay.slots.values()) stateHash.update(JSON.stringify(slot.state, replacer)).update('\n');
  console.log(JSON.stringify({
    customers: history.customers.length,
    events: replay.events,
    transactions,
    ticked: replay.ticked,
    issued: result.totals.issued.toString(),
    transactionsSha256: txHash.digest('hex'),
    resultSha256: resultHash,
    statesSha256: stateHash.digest('hex'),
  }));
}

await main();
