import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { HotList } from '../shared/contracts/api.ts';

// What the README promises a new user, checked: its two commands are the ones package.json
// and CI run, and the run command's server part starts the demo on an empty data folder,
// with the seeded history readable by the rep token it prints.

const readme = readFileSync('README.md', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const ci = readFileSync('.ci/run', 'utf8');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

describe('README', () => {
  it('gives the two commands, and CI runs the test command', () => {
    const block = readme.match(/## Two commands\s+```sh\n([\s\S]*?)```/)?.[1] ?? '';
    const commands = block.split('\n').filter(Boolean).map((l) => l.split('#')[0]!.trim());
    expect(commands).toEqual(['npm install && npm start', 'npm install && npm test']);
    expect(pkg.scripts.start).toContain('npm run build');
    expect(pkg.scripts.test).toBe('tsc -b && biome lint && vitest run');
    expect(ci).toMatch(/^\s*timed "npm install" npm install/m);
    expect(ci).toMatch(/^\s*timed "npm test" npm test$/m);
  });

  it('names every environment variable the server reads', () => {
    const sources = ['server/main.ts', 'server/cli/cli.ts', 'server/http/app.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
    const used = new Set([...sources.matchAll(/\b(LEADGLOW_[A-Z_]+)\b/g)].map((m) => m[1]!));
    for (const name of used) expect(readme, name).toContain(name);
  });

  describe('the run command, as a new user starts it', () => {
    const data = mkdtempSync(join(tmpdir(), 'leadglow-readme-'));
    let child: ReturnType<typeof spawn> | undefined;
    afterAll(() => {
      child?.kill('SIGTERM');
      rmSync(data, { recursive: true, force: true });
    });

    it('starts the collector and the demo site on an empty data folder, seeded, and prints the tokens', async () => {
      const [port, demoPort] = [await freePort(), await freePort()];
      child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: { ...process.env, PORT: String(port), LEADGLOW_DEMO_PORT: String(demoPort), LEADGLOW_DATA: data },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      await new Promise<void>((ok, fail) => {
        // Generous: starting and seeding 300 leads took over 90 s on a loaded 2-core machine.
        const timer = setTimeout(() => fail(new Error(`no banner in 240 s:\n${out}`)), 240_000);
        const check = setInterval(() => {
          if (out.includes('Stop with Ctrl-C')) {
            clearInterval(check);
            clearTimeout(timer);
            ok();
          }
        }, 100);
        child!.on('exit', (code) => fail(new Error(`exited with ${code}:\n${out}`)));
      });
      expect(out).toContain(`http://127.0.0.1:${port}`);
      expect(out).toContain(`http://127.0.0.1:${demoPort}/`);
      expect(out).toMatch(/seeded 300 leads/);
      const rep = out.match(/Rep token:\s+(\S+)/)?.[1];
      expect(rep).toBeDefined();

      const pricing = await fetch(`http://127.0.0.1:${demoPort}/pricing`);
      expect(pricing.status).toBe(200);
      expect(await pricing.text()).toContain(`http://127.0.0.1:${port}/leadglow.js`);

      const hot = HotList.parse(await (await fetch(`http://127.0.0.1:${port}/v1/hot`, { headers: { authorization: `Bearer ${rep}` } })).json());
      expect(hot.items.length).toBeGreaterThan(10);
      expect(hot.items.some((l) => l.stage === 'sales_ready')).toBe(true);
    }, 300_000);
  });
});
