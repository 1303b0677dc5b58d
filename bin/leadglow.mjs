#!/usr/bin/env node
// The `leadglow` command (`npx leadglow …`, or on the PATH after `npm install -g`). The CLI is
// TypeScript and runs through tsx's loader, a runtime dependency, so the server has no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../server/cli/cli.ts');
await runCli(process.argv.slice(2));
