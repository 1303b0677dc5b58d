import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssues } from '../../shared/errors.ts';
import { Model } from '../../shared/contracts/model.ts';
import { defaultModel } from '../../shared/scoring/default-model.ts';
import { inspectHtml, type InspectReport } from '../inspect/page-inspect.ts';
import { defaultIO, type CommandIO } from './io.ts';

// leadglow inspect FILE_OR_URL [--url URL] [--json] [--model FILE]: what Leadglow will see on a
// page, for marketers. Each form in document order with its fields, intent (and the words that
// decided it) and whether the model counts it a hand-raise; the download links; the meta weight
// and tags; the elements tagged in markup. Run by the operator on their own machine, so any URL
// may be fetched; the dashboard's page check (routes/inspect.ts) fetches through the outbound
// rules instead, since an admin types the address.

export const INSPECT_USAGE = 'leadglow inspect FILE_OR_URL [--url URL] [--json] [--model MODEL.json]';

const MAX_BYTES = 5 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

export async function inspectCommand(args: string[], io: CommandIO = defaultIO(), fetcher: typeof fetch = fetch): Promise<number> {
  let values: { url?: string; json?: boolean; model?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options: { url: { type: 'string' }, json: { type: 'boolean' }, model: { type: 'string' } }, allowPositionals: true }));
  } catch (error) {
    io.err.write(`${error instanceof Error ? error.message : String(error)}\nusage: ${INSPECT_USAGE}\n`);
    return 1;
  }
  const target = positionals[0];
  if (!target || positionals.length > 1) {
    io.err.write(`expected one file or URL\nusage: ${INSPECT_USAGE}\n`);
    return 1;
  }
  if (values.url !== undefined && !/^https?:\/\/[^\s/?#]+/.test(values.url)) {
    io.err.write(`--url: expected an http(s) URL, got "${values.url}"\n`);
    return 1;
  }
  let model = defaultModel;
  if (values.model) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(values.model, 'utf8'));
    } catch (error) {
      io.err.write(`--model ${values.model}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    const parsed = Model.safeParse(json);
    if (!parsed.success) {
      io.err.write(`--model ${values.model}: not a valid model:\n${formatIssues(parsed.error.issues).join('\n')}\n`);
      return 1;
    }
    model = parsed.data;
  }
  let html: string;
  let url: string;
  if (/^https?:\/\//i.test(target)) {
    url = values.url ?? target;
    try {
      const res = await fetcher(target, { redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'text/html' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = await res.arrayBuffer();
      if (body.byteLength > MAX_BYTES) throw new Error(`page larger than ${MAX_BYTES} bytes`);
      html = new TextDecoder().decode(body);
    } catch (error) {
      io.err.write(`${target}: could not fetch: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  } else {
    try {
      html = await readFile(target, 'utf8');
    } catch (error) {
      io.err.write(`${target}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    // Paths decide some intents (/request-a-demo): give the page's real address with --url.
    url = values.url ?? `http://localhost/${encodeURIComponent(basename(target))}`;
  }
  const report = inspectHtml(html, url, model);
  io.out(values.json ? `${JSON.stringify(report)}\n` : formatInspect(report));
  return 0;
}

/** The report as text a marketer can read. */
export function formatInspect(r: InspectReport): string {
  const lines = [`${r.url}${r.title ? `  "${r.title}"` : ''}`, ''];
  lines.push(r.forms.length ? `forms (${r.forms.length}, in document order):` : 'forms: none (forms drawn by script appear only in a page saved from a browser)');
  r.forms.forEach((f, i) => {
    lines.push(`  ${i + 1}. ${f.id}  intent: ${f.intent}${f.handRaise ? '  HAND-RAISE' : ''}`);
    if (f.signal) lines.push(`     decided by ${f.signal.source}: "${f.signal.text}"`);
    lines.push(`     fields: ${f.fields.length ? f.fields.join(', ') : '(none)'}`);
    if (f.read.button) lines.push(`     button: "${f.read.button}"`);
    if (f.read.heading) lines.push(`     heading: "${f.read.heading}"`);
  });
  lines.push('', r.downloads.length ? `downloads (${r.downloads.length}):` : 'downloads: none');
  for (const d of r.downloads) lines.push(`  ${d}`);
  const meta = [r.meta.weight !== undefined ? `weight ${r.meta.weight}` : '', r.meta.tags ? `tags ${r.meta.tags.join(', ')}` : ''].filter(Boolean);
  lines.push('', `page meta: ${meta.length ? meta.join('; ') : 'none'}`);
  lines.push('', r.tags.length ? `tagged elements (${r.tags.length}):` : 'tagged elements: none');
  for (const t of r.tags) lines.push(`  ${t.selector}  "${t.text}"${t.weight !== undefined ? `  weight ${t.weight}` : ''}${t.tag ? `  tag ${t.tag}` : ''}`);
  return `${lines.join('\n')}\n`;
}
