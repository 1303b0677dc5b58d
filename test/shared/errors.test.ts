import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeError, formatIssues, formatPath } from '../../shared/errors.ts';

describe('error messages', () => {
  it('writes paths as a reader would', () => {
    expect(formatPath(['events', 3, 'url'])).toBe('events[3].url');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath([])).toBe('');
  });

  it('puts every issue on its own line, placed inside a larger document', () => {
    const schema = z.object({ name: z.string(), tags: z.array(z.string()) });
    const result = schema.safeParse({ name: 5, tags: ['a', 7] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatIssues(result.error.issues, ['models', 2])).toEqual([
      'models[2].name: expected string, received number',
      'models[2].tags[1]: expected string, received number',
    ]);
    expect(describeError(result.error)).toBe('name: expected string, received number; tags[1]: expected string, received number');
  });
});
