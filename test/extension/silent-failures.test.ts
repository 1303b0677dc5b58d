import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// No failure in the extension disappears without a reason (issue 17). A handler that drops the
// error it was given — `catch {}`, `catch (e)` that never reads `e`, `.catch(() => …)`, or the
// rejection handler of `.then(ok, () => …)` — must say why dropping it is right in a comment
// holding `why:` on its line, in the comment lines just above it, or on the first line of its
// block. Handlers that read the error (to log it, or to show it) need no comment. Read with the
// TypeScript parser, not a pattern, so a handler split over lines or a `.then` rejection
// handler cannot slip through (as refined-github checks its own conventions in a test).

const ROOT = join(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.output', '.wxt', 'public']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const mentions = (node: ts.Node, name: string): boolean =>
  (ts.isIdentifier(node) && node.text === name) || (ts.forEachChild(node, (child) => mentions(child, name) || undefined) ?? false);

/** Whether a handler for a rejection drops the error: no parameter, or one its body never reads. */
function dropsError(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const param = fn.parameters[0];
  if (!param) return true;
  return ts.isIdentifier(param.name) && !mentions(fn.body, param.name.text);
}

/** A `why:` that says something (a bare `why:` is no reason). */
const WHY = /\bwhy:\s*\S.{8,}/;
const isComment = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line);

/** A reason on the line, in the comment lines right above it, or (for a handler over lines) on its first inner line. */
function hasReason(lines: readonly string[], at: number, spansLines: boolean): boolean {
  if (WHY.test(lines[at] ?? '') || (spansLines && WHY.test(lines[at + 1] ?? ''))) return true;
  for (let i = at - 1; i >= 0 && isComment(lines[i]!); i--) if (WHY.test(lines[i]!)) return true;
  return false;
}

/** `file:line what` for each handler that drops its error without a reason. */
export function silentFailures(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lines = text.split('\n');
  const found: string[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  /** `at`: where the dropping is named (`catch`, `.catch`); `handler`: the code that drops. */
  const report = (at: ts.Node, handler: ts.Node, what: string) => {
    const line = lineOf(at.getStart(source));
    if (!hasReason(lines, line, lineOf(handler.getEnd()) > lineOf(handler.getStart(source)))) found.push(`${file}:${line + 1} ${what}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCatchClause(node)) {
      const name = node.variableDeclaration?.name;
      if (!name || (ts.isIdentifier(name) && !mentions(node.block, name.text))) report(node, node.block, 'catch');
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const handler = method === 'catch' ? node.arguments[0] : method === 'then' ? node.arguments[1] : undefined;
      if (handler && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) && dropsError(handler)) report(node.expression.name, handler, `.${method}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('failures in the extension', () => {
  it('finds every way of dropping an error, and accepts a reason beside it', () => {
    const code = [
      'p.catch(() => undefined);', // 1: dropped
      '// why: the tab closed before the message arrived: nothing to update',
      'p.catch(() => undefined);', // 3: reason above
      'p.catch((error) => console.warn("lost", error));', // 4: read
      'p.then(ok, () => false);', // 5: dropped
      'p.then(ok, (e) => show(e));', // 6: read
      'try { a(); } catch {}', // 7: dropped
      'try { a(); } catch (e) { b(); }', // 8: dropped, never read
      'try { a(); } catch (e) { b(e); }', // 9: read
      'try {',
      '  a();',
      '} catch {',
      '  // why: not a URL; the caller says the address is not valid',
      '}', // 12: reason on the block's first line
      'p.catch(() => undefined); // why:', // 15: a bare why is no reason
      'p',
      '  .then(ok)',
      '  .catch(function () { return 1; });', // 18: dropped, over lines
      'p.catch(report("saving"));', // 19: a handler made elsewhere reads what it gets
    ].join('\n');
    expect(silentFailures('sample.ts', code)).toEqual([
      'sample.ts:1 .catch', 'sample.ts:5 .then', 'sample.ts:7 catch', 'sample.ts:8 catch', 'sample.ts:15 .catch', 'sample.ts:18 .catch',
    ]);
  });

  it('none in extension/ drops an error without saying why', () => {
    const files = sources(join(ROOT, 'extension'));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => silentFailures(relative(ROOT, file), readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });
});
