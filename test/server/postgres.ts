import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// A throwaway PostgreSQL cluster for tests: initdb in a temporary folder, a private port on
// 127.0.0.1, a socket in the same folder; stopped and removed by `stop()`. PostgreSQL refuses
// to run as root, so as root the cluster runs as the `postgres` user (runuser). Missing
// binaries are a failure, never a skip: the PostgreSQL backend must be tested in CI.

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export type TestPostgres = { url: string; newDatabase(): Promise<string>; stop(): Promise<void> };

export async function startPostgres(): Promise<TestPostgres> {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'))) {
    throw new Error(`PostgreSQL binaries not found in ${BIN}: install PostgreSQL 15 (apt-get install postgresql) or set PG_BIN; the server tests need it`);
  }
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'leadglow-pg-'));
  const data = join(dir, 'data');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const asPg = (cmd: string, args: string[]) => (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asPg(cmd, args);
    const r = spawnSync(c, a, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  run(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  run(join(BIN, 'pg_ctl'), ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}`;
  let n = 0;
  return {
    url: `${url}/postgres`,
    async newDatabase() {
      const name = `t${process.pid}_${n++}`;
      const client = new pg.Client({ connectionString: `${url}/postgres` });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return `${url}/${name}`;
    },
    async stop() {
      try {
        run(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
