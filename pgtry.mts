import { startPostgres } from '/work/wt-cluster/test/server/postgres.ts';
const p = await startPostgres();
const url = await p.newDatabase();
console.log(url);
await new Promise(r => setTimeout(r, 600_000));
