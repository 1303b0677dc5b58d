import type { z } from 'zod';

type PathKey = PropertyKey;

/** `['events', 3, 'url']` becomes `events[3].url`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * One line per problem, each starting with where it is: `events[3].url: expected a URL`.
 * `prefix` places the issues inside a larger document (a batch, a model file).
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PathKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const where = formatPath([...prefix, ...issue.path]);
    lines.push(`${where || '(root)'}: ${message(issue)}`);
  }
  return lines;
}

function message(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'required';
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    return `expected one of ${(issue.options as unknown[]).map(String).join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message.replace(/^Invalid input: /, '');
}

/** A zod error as one readable message, for exceptions and log lines. */
export function describeError(error: z.ZodError, prefix: readonly PathKey[] = []): string {
  return formatIssues(error.issues, prefix).join('; ');
}
