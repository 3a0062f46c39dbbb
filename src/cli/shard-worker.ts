// The worker_threads entry of simulateSharded: replays the customers and events it is sent, then
// posts its result and metrics state. Messages are handled one at a time, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { isLoyaltyError } from '../errors';
import { encodeLedgerJson } from '../ledger/codec';
import { Replay } from '../simulate/replay';
import { resultOf } from '../simulate/result';
import { programOf, type FromWorker, type ToWorker, type WorkerData } from './shard-protocol';

const port = parentPort;
if (!port) throw new Error('shard-worker runs as a worker thread of simulateSharded');
const data = workerData as WorkerData;
const program = programOf(data.program);
const replay = new Replay(program, data.options);

const post = (message: FromWorker): void => port.postMessage(message);

function handle(message: ToWorker): void {
  switch (message.type) {
    case 'customers':
      for (const c of message.items) replay.addCustomer(c);
      post({ type: 'ack' });
      return;
    case 'start':
      replay.startAt(message.at);
      return;
    case 'events':
      for (const e of message.items) replay.push(e);
      post({ type: 'ack' });
      return;
    case 'finish': {
      const end = replay.finish(message.until);
      post({ type: 'result', result: encodeLedgerJson(resultOf(replay, end)), metrics: replay.metrics.snapshot(replay.metricsState) });
      return;
    }
    default: {
      void (message satisfies never);
    }
  }
}

port.on('message', (message: ToWorker) => {
  try {
    handle(message);
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error), ...(isLoyaltyError(error) ? { issues: encodeLedgerJson(error.issues) } : {}) });
  }
});
