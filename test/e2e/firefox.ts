import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import WebSocket from 'ws';

// Debian's Firefox ESR driven over WebDriver BiDi (the W3C protocol Firefox speaks natively;
// no geckodriver, no download): a fresh profile, the extension installed as a temporary
// add-on, pages opened and scripts evaluated in them. Just what the Firefox run needs.

export const FIREFOX = process.env.LEADGLOW_FIREFOX ?? '/usr/bin/firefox-esr';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
export type LogEntry = { level: string; text: string; source?: unknown };

export type Firefox = {
  /** Sends one BiDi command and waits for its result. */
  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown>): Promise<T>;
  logs: LogEntry[];
  close(): Promise<void>;
};

/**
 * Starts Firefox headless on a throwaway profile. `uuids` fixes an add-on's internal UUID, so
 * its pages have a known `moz-extension://` origin.
 */
export async function launchFirefox(uuids: Record<string, string>, timeoutMs = 30_000): Promise<Firefox> {
  const profile = mkdtempSync(resolve(tmpdir(), 'leadglow-firefox-'));
  const prefs: Record<string, string | number | boolean> = {
    'remote.active-protocols': 1,
    'extensions.webextensions.uuids': JSON.stringify(uuids),
    'xpinstall.signatures.required': false,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'app.update.disabledForTesting': true,
    'app.normandy.enabled': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
  };
  writeFileSync(resolve(profile, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));
  const proc = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', '0', 'about:blank'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  try {
    const wsUrl = await listeningUrl(proc, timeoutMs);
    return await connect(`${wsUrl}/session`, proc, profile);
  } catch (error) {
    proc.kill('SIGKILL');
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/** Firefox prints "WebDriver BiDi listening on ws://127.0.0.1:PORT" once the port is open. */
function listeningUrl(proc: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((ok, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`Firefox did not open WebDriver BiDi within ${timeoutMs} ms:\n${seen.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = seen.match(/WebDriver BiDi listening on (ws:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!.replace(/\/$/, ''));
      }
    };
    proc.stderr?.on('data', onData);
    proc.stdout?.on('data', onData);
    proc.once('exit', (code) => (clearTimeout(timer), fail(new Error(`Firefox exited (${code}) before BiDi was up:\n${seen.slice(-2000)}`))));
  });
}

function connect(url: string, proc: ChildProcess, profile: string): Promise<Firefox> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(url);
    const pending = new Map<number, Pending>();
    const logs: LogEntry[] = [];
    let id = 0;
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; type: string; result?: unknown; error?: string; message?: string; method?: string; params?: LogEntry };
      if (msg.type === 'event' && msg.method === 'log.entryAdded' && msg.params) logs.push({ level: msg.params.level, text: msg.params.text, source: msg.params.source });
      if (msg.id === undefined) return;
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.type === 'error') p?.reject(new Error(`${msg.error}: ${msg.message}`));
      else p?.resolve(msg.result);
    });
    ws.once('error', fail);
    ws.once('open', () => {
      const send = <T>(method: string, params: Record<string, unknown>) =>
        new Promise<T>((resolveSend, rejectSend) => {
          const n = ++id;
          pending.set(n, { resolve: resolveSend as (v: unknown) => void, reject: rejectSend });
          ws.send(JSON.stringify({ id: n, method, params }));
        });
      ok({
        send,
        logs,
        async close() {
          await send('session.end', {}).catch(() => undefined);
          ws.close();
          const exited = new Promise((r) => proc.once('exit', r));
          proc.kill('SIGTERM');
          const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
          rmSync(profile, { recursive: true, force: true });
        },
      });
    });
  });
}

/** Evaluates `expression` (awaiting a promise) in a browsing context; returns its JSON value. */
export async function evaluate<T>(ff: Firefox, context: string, expression: string): Promise<T> {
  const r = await ff.send<{ type: string; result?: { type: string; value?: unknown }; exceptionDetails?: { text: string } }>('script.evaluate', {
    expression: `(async () => JSON.stringify(await (${expression})))()`,
    target: { context },
    awaitPromise: true,
  });
  if (r.type === 'exception') throw new Error(`in page: ${r.exceptionDetails?.text}`);
  const v = r.result?.value;
  return (typeof v === 'string' ? JSON.parse(v) : undefined) as T;
}

/** Polls `expression` until it is truthy or the deadline passes. */
export async function waitFor<T>(ff: Firefox, context: string, expression: string, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    last = await evaluate<T>(ff, context, expression).catch((e: unknown) => e);
    if (last && !(last instanceof Error)) return last as T;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}; last: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
