import type { ProgressStream } from './progress.ts';

// What a CLI command reads and writes, so tests can run commands in-process and read their output.
export type CommandIO = {
  /** Where results go (stdout): tables, or one JSON object. */
  out: (text: string) => void;
  /** Progress and problems (stderr). */
  err: ProgressStream;
  env: Record<string, string | undefined>;
  now: () => number;
};

export function defaultIO(): CommandIO {
  return { out: (text) => process.stdout.write(text), err: process.stderr, env: process.env, now: Date.now };
}
