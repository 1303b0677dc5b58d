#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startServer, type ServerOptions } from '../http/app.ts';
import { openConfigured, type OpenDatabase } from '../db/open.ts';
import { scrubDeleted } from '../db/scrub.ts';
import { createKey, keyInputErrors, type Role } from '../auth/api-keys.ts';
import { loadLiveModels, ensureDefaultModel } from '../scoring/live-models.ts';
import { eraseLead, exportLead } from '../privacy/erase.ts';
import { leadIdByEmail } from '../read/lead-views.ts';
import { importCsv } from '../import/import-csv.ts';
import { fileChunks } from '../import/touchpoints-and-outcomes.ts';
import { BACKTEST_USAGE, backtestCommand } from './backtest.ts';
import { REPORT_USAGE, reportCommand } from './report.ts';
import { TRAIN_USAGE, trainCommand } from './train.ts';
import { INSPECT_USAGE, inspectCommand } from './inspect.ts';
import { LEADS_USAGE, leadsCommand } from './leads.ts';

// leadglow serve | keys create | keys list | erase EMAIL | export EMAIL | import events|outcomes FILE.csv
// | report | backtest --draft FILE | train | inspect FILE_OR_URL | leads (CSV)

const USAGE = `usage:
  leadglow serve [--port 8787] [--host 127.0.0.1] [--data ./data] [--origins https://a,https://b] [--retention-days N] [--webhook-url URL] [--log]
  leadglow keys create --site SITE [--origin https://www.example.com]... [--name NAME]
  leadglow keys create --role rep|admin [--name NAME] [--email ADDRESS]...
  leadglow keys list
  leadglow erase EMAIL
  leadglow export EMAIL
  leadglow import events|outcomes FILE.csv [--site SITE]
  ${REPORT_USAGE}
  ${BACKTEST_USAGE}
  ${TRAIN_USAGE}
  ${INSPECT_USAGE}
  ${LEADS_USAGE}
Environment: PORT, HOST, LEADGLOW_DATA, DATABASE_URL, LEADGLOW_ORIGINS, LEADGLOW_RETENTION_DAYS,
  LEADGLOW_COUNTRY_HEADER, LEADGLOW_SECRET, LEADGLOW_TRUST_PROXY, LEADGLOW_PUBLIC_URL,
  LEADGLOW_WEBHOOK_URL, LEADGLOW_WEBHOOK_SECRET, LEADGLOW_RETRAIN_HOURS, LOG_LEVEL;
  LC_ALL, LC_MESSAGES, LANG: the language of report, backtest, train and leads (en, nl or sv; --lang overrides)`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'keys':
      return keys(rest);
    case 'erase':
    case 'export':
      return privacy(command, rest);
    case 'import':
      return importCommand(rest);
    case 'report':
      return reportCommand(rest);
    case 'backtest':
      return backtestCommand(rest);
    case 'train':
      return trainCommand(rest);
    case 'inspect':
      return inspectCommand(rest);
    case 'leads':
      return leadsCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`unknown command "${command}"\n${USAGE}`);
      return 1;
  }
}

const dbOptions = {
  data: { type: 'string' },
} as const;

function open(values: { data?: string | undefined }): Promise<OpenDatabase> {
  return openConfigured(values.data);
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...dbOptions,
      port: { type: 'string' },
      host: { type: 'string' },
      origins: { type: 'string' },
      'retention-days': { type: 'string' },
      'webhook-url': { type: 'string' },
      log: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port: expected a port number');
  const retention = values['retention-days'] ?? process.env.LEADGLOW_RETENTION_DAYS;
  const origins = (values.origins ?? process.env.LEADGLOW_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const options: ServerOptions = {
    port,
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    dataDir: values.data ?? process.env.LEADGLOW_DATA ?? './data',
    log: values.quiet ? false : (values.log ?? true),
    apiOrigins: origins,
  };
  if (process.env.DATABASE_URL) options.databaseUrl = process.env.DATABASE_URL;
  if (retention) options.retentionDays = Number(retention);
  if (process.env.LEADGLOW_COUNTRY_HEADER) options.countryHeader = process.env.LEADGLOW_COUNTRY_HEADER;
  if (process.env.LEADGLOW_PUBLIC_URL) options.publicUrl = process.env.LEADGLOW_PUBLIC_URL;
  // Without the flag, startServer reads LEADGLOW_WEBHOOK_URL itself. The secret comes from the
  // environment only: command lines are visible to every user of the machine.
  if (values['webhook-url']) options.webhook = { url: values['webhook-url'], secret: process.env.LEADGLOW_WEBHOOK_SECRET ?? '' };
  const server = await startServer(options);
  console.log(`leadglow listening on ${server.url} (${server.db.backend}: ${server.db.location})`);
  await untilSignal(server.close);
  return 0;
}

/** Graceful shutdown: stop accepting, flush the write queue, close the database. */
export function untilSignal(close: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(1); // a second signal: give up waiting
      stopping = true;
      console.log(`${signal}: shutting down`);
      close().then(resolve, (err: unknown) => {
        console.error(err);
        process.exit(1);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

async function keys(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: dbOptions });
    const db = await open(values);
    try {
      const rows = await db.read.selectFrom('keys').select(['id', 'role', 'site', 'origins', 'name', 'created_at', 'revoked_at']).orderBy('created_at').execute();
      for (const r of rows) console.log([r.id, r.role, r.site ?? '-', r.origins, r.name ?? '-', new Date(r.created_at).toISOString(), r.revoked_at ? 'revoked' : 'active'].join('\t'));
    } finally {
      await db.close();
    }
    return 0;
  }
  if (sub !== 'create') throw new UsageError('expected `keys create` or `keys list`');
  const { values } = parseArgs({ args: rest, options: { ...dbOptions, site: { type: 'string' }, origin: { type: 'string', multiple: true }, role: { type: 'string' }, name: { type: 'string' }, email: { type: 'string', multiple: true } } });
  const role = (values.role ?? (values.site ? 'site' : undefined)) as Role | undefined;
  if (!role) throw new UsageError('expected --site SITE (a site key) or --role rep|admin');
  const input = { role, ...(values.site ? { site: values.site } : {}), ...(values.origin ? { origins: values.origin } : {}), ...(values.name ? { name: values.name } : {}), ...(values.email ? { emails: values.email } : {}) };
  const errors = keyInputErrors(input);
  if (errors.length) throw new UsageError(errors.join('\n'));
  const db = await open(values);
  try {
    const secret = await createKey(db.write, input);
    if (role === 'site' && !values.origin) console.error('note: no --origin given; this site key accepts events from any origin');
    console.error(`created a ${role} key${role === 'site' ? ` for site ${values.site}` : ''}; it is shown once and stored hashed:`);
    console.log(secret);
  } finally {
    await db.close();
  }
  return 0;
}

async function privacy(command: 'erase' | 'export', args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: dbOptions, allowPositionals: true });
  const email = positionals[0];
  if (!email) throw new UsageError(`expected leadglow ${command} EMAIL`);
  const db = await open(values);
  try {
    const id = await leadIdByEmail(db.read, email);
    if (!id) {
      console.error(`no lead with email ${email}`);
      return 2;
    }
    if (command === 'export') {
      console.log(JSON.stringify(await exportLead(db.read, id), null, 2));
    } else {
      const r = await db.write.transaction().execute((trx) => eraseLead(trx, id, 'cli'));
      console.error(`erased lead ${id}: ${r?.events ?? 0} events, its identities, emails and scores`);
      const scrub = await scrubDeleted(db);
      if (!scrub.walEmptied) console.error('note: the write-ahead log is in use by a running server; its old pages are overwritten at its next checkpoint');
    }
  } finally {
    await db.close();
  }
  return 0;
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...dbOptions, site: { type: 'string' } }, allowPositionals: true });
  const [kind, file] = positionals;
  if ((kind !== 'events' && kind !== 'outcomes') || !file) throw new UsageError('expected leadglow import events|outcomes FILE.csv');
  const db = await open(values);
  try {
    await ensureDefaultModel(db.write);
    const live = await loadLiveModels(db.write);
    const summary = await importCsv((job) => db.write.transaction().execute((trx) => job(trx, [])), live.models, kind, fileChunks(file), { site: values.site ?? 'offline' });
    console.log(`${summary.imported} rows imported, ${summary.duplicates} already imported, ${summary.skipped} skipped (no lead with that email), ${summary.rejects.length} rejected`);
    for (const r of summary.rejects.slice(0, 100)) console.log(`line ${r.line}: ${r.errors.join('; ')}`);
    if (summary.rejects.length > 100) console.log(`... and ${summary.rejects.length - 100} more`);
    return summary.rejects.length ? 2 : 0;
  } finally {
    await db.close();
  }
}

class UsageError extends Error {}

/** Runs the CLI as a program: sets the exit code (a server keeps running). Used by bin/leadglow.mjs too. */
export function runCli(argv: string[]): Promise<void> {
  return main(argv).then(
    (code) => {
      if (argv[0] !== 'serve') process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) void runCli(process.argv.slice(2));
