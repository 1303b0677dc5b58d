import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

// `@leadglow/sdk` (sdk/package.json): what `npm pack` / `npm publish` ship from sdk/dist. An
// ES module for the consumer's bundler (not minified: their bundler minifies) and .d.ts types
// that stand alone: no TypeScript sources, no server code, no zod.
//
// The types come from TypeScript's own declaration emit with the sdk's tsconfig (DOM, no
// Node). The public types that are contracts (Props, Traits) are zod-inferred in shared/, and
// their emitted .d.ts would import zod; so for each contract file the package needs, every
// exported type is written out as the structural type the checker infers (z.infer resolved),
// and the schemas themselves are left out. The shapes stay declared once (the zod schemas);
// this only prints what TypeScript already computed. No declaration bundler is needed: the
// files keep their relative layout under dist/types and are rewired to .js specifiers.

const SDK = dirname(fileURLToPath(import.meta.url));
const ROOT = join(SDK, '..');
export const PACKAGE_DIST = join(SDK, 'dist');

/** Builds sdk/dist: index.js, index.d.ts, types/…, LICENSE. */
export async function buildPackage(outdir: string = PACKAGE_DIST): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(SDK, 'index.ts')],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // The full build: the IndexedDB outbox is in (the snippet's core variant leaves it out).
    define: { 'globalThis.LEADGLOW_CORE': 'false' },
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const [path, text] of declarations()) {
    mkdirSync(dirname(join(outdir, path)), { recursive: true });
    writeFileSync(join(outdir, path), text);
  }
  writeFileSync(join(outdir, 'index.d.ts'), "export * from './types/sdk/index.js';\n");
  copyFileSync(join(ROOT, 'LICENSE'), join(outdir, 'LICENSE'));
}

/** The .d.ts files the public entry reaches, as [path under dist, text]. */
function declarations(): Array<[string, string]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(SDK, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) })!;
  const options: ts.CompilerOptions = {
    ...config.options,
    composite: false,
    incremental: false,
    declaration: true,
    emitDeclarationOnly: true,
    noEmit: false,
    rootDir: ROOT,
    outDir: '/dts',
  };
  const program = ts.createProgram({ rootNames: [join(SDK, 'index.ts')], options });
  const errors = ts.getPreEmitDiagnostics(program);
  if (errors.length) fail(errors);
  const emitted = new Map<string, string>();
  const result = program.emit(undefined, (file, text) => emitted.set(relative('/dts', file), text), undefined, true);
  if (result.diagnostics.length) fail(result.diagnostics);

  const checker = program.getTypeChecker();
  // Walk from the entry: each file's relative imports, and the names taken from each.
  const files = new Map<string, string>();
  const wanted = new Map<string, Set<string>>();
  const queue = ['sdk/index.d.ts'];
  while (queue.length) {
    const path = queue.shift()!;
    if (files.has(path)) continue;
    const text = emitted.get(path);
    if (text === undefined) throw new Error(`sdk package: no declarations emitted for ${path}`);
    const rewired = text.replace(/(\{([^}]*)\}\s*from\s+|from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\3/g, (_m, lead: string, names: string | undefined, q: string, spec: string) => {
      const target = join(dirname(path), spec + '.d.ts');
      queue.push(target);
      const set = wanted.get(target) ?? new Set<string>();
      for (const n of names?.split(',') ?? []) if (n.trim()) set.add(n.trim().split(/\s+as\s+/)[0]!.replace(/^type\s+/, ''));
      wanted.set(target, set);
      return `${lead}${q}${spec}.js${q}`;
    });
    files.set(path, rewired);
  }
  // Files whose declarations would import zod: the types they are asked for, resolved.
  for (const [path, text] of files) {
    if (/from ['"]zod['"]/.test(text)) files.set(path, resolvedTypes(program, checker, join(ROOT, path.replace(/\.d\.ts$/, '.ts')), wanted.get(path) ?? new Set()));
  }
  return [...files].map(([path, text]) => [join('types', path), text]);
}

/** The named exported types of a contract file, each printed as the structure the checker infers. */
function resolvedTypes(program: ts.Program, checker: ts.TypeChecker, file: string, names: Set<string>): string {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`sdk package: ${file} is not in the program`);
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.UseStructuralFallback;
  let text = `// Generated by sdk/build-package.ts from ${relative(ROOT, file)}: the types its zod schemas infer.\n`;
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement) || !names.has(statement.name.text)) continue;
    if (statement.typeParameters) throw new Error(`sdk package: ${statement.name.text} in ${relative(ROOT, file)} is generic; it cannot be printed resolved`);
    names.delete(statement.name.text);
    const type = checker.getTypeAtLocation(statement.name);
    const printed = checker.typeToString(type, statement, flags);
    if (/\bz\.|\$brand|\bZod/.test(printed)) throw new Error(`sdk package: ${statement.name.text} in ${relative(ROOT, file)} still names zod: ${printed.slice(0, 200)}`);
    text += `export type ${statement.name.text} = ${printed};\n`;
  }
  if (names.size) throw new Error(`sdk package: ${[...names].join(', ')} in ${relative(ROOT, file)} is not an exported type alias`);
  return text;
}

function fail(diagnostics: readonly ts.Diagnostic[]): never {
  throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildPackage();
  console.log(`built ${relative(process.cwd(), PACKAGE_DIST)}`);
}
