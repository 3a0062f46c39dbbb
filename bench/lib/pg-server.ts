/*
 * A throwaway PostgreSQL server for bench/postgres.ts, started the way .ci/run starts the test
 * server: Debian's binaries under /usr/lib/postgresql/<version>/bin (or BENCH_PG_BIN), `initdb
 * --auth=trust` into a fresh temporary folder, `pg_ctl start` on a free port bound to 127.0.0.1.
 * Running as root, the folder is given to the `postgres` user and the server programs run as that
 * user (PostgreSQL refuses to run as root). `stop` shuts the server down (fast mode: open
 * transactions roll back) and removes the folder; it also runs on exit and on SIGINT or SIGTERM,
 * so an interrupted bench leaves no server behind. Durability settings are PostgreSQL's defaults
 * (fsync and synchronous_commit on): the bench compares against the cost of a durable commit.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running throwaway server. */
export interface ThrowawayServer {
  /** The folder of binaries it was started from (pgbench is there too). */
  readonly bin: string;
  readonly port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** Its temporary folder (data, log); removed by `stop`. */
  readonly dir: string;
  /** The server's major version, e.g. "15". */
  readonly version: string;
  /** Stops the server and removes its folder; safe to call twice. */
  stop(): void;
}

const PROGRAMS = ['initdb', 'pg_ctl', 'postgres', 'pgbench'] as const;

/** The newest folder of PostgreSQL binaries with every program the bench needs, or undefined. */
export function findPgBin(): string | undefined {
  const fromEnv = process.env.BENCH_PG_BIN;
  const candidates = fromEnv !== undefined ? [fromEnv] : debianBins();
  return candidates.find((dir) => PROGRAMS.every((p) => existsSync(join(dir, p))));
}

function debianBins(): string[] {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(base, v, 'bin'));
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The uid and gid the server runs as: the `postgres` user when we are root, else ourselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => {
    const r = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('running as root, and there is no `postgres` user to run the server as');
    return Number(r.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g') };
}

function run(program: string, args: readonly string[], options: SpawnSyncOptions): string {
  const r = spawnSync(program, args, { ...options, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${String(r.status ?? r.signal)}): ${String(r.stderr).trim()}`);
  return String(r.stdout);
}

/**
 * Starts a server in a new temporary folder and returns once it accepts connections.
 *
 * @example
 * ```ts
 * const server = await startThrowawayServer(findPgBin() ?? '/usr/lib/postgresql/15/bin');
 * try { console.log(server.url); } finally { server.stop(); }
 * ```
 */
export async function startThrowawayServer(bin: string, settings: readonly string[] = []): Promise<ThrowawayServer> {
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-bench-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const as: SpawnSyncOptions = { cwd: dir, ...(user ?? {}) };
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const port = await freePort();
  let started = false;
  const stop = (): void => {
    if (started) {
      started = false;
      spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'], { ...as, stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', stop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', stop);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // --no-sync: initdb's own files need not reach the disk (a throwaway cluster); the server's
    // commits during the bench are durable as usual.
    run(join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '--no-locale', '-E', 'UTF8'], as);
    const options = [`-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c max_connections=100`, ...settings.map((x) => `-c ${x}`)].join(' ');
    started = true;
    run(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start'], as);
  } catch (error) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-10).join('\n') : '';
    stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail ? `\nserver log:\n${tail}` : ''}`);
  }
  const version = run(join(bin, 'postgres'), ['--version'], {}).trim().replace(/^\D*(\d+(\.\d+)?).*$/, '$1');
  return { bin, port, url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, version, stop };
}
