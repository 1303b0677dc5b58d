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

describe('messages a sender can act on', () => {
  it('says a field is required, and lists the types a discriminated union knows', async () => {
    const { splitBatch } = await import('../../shared/contracts/batch.ts');
    const result = splitBatch({ events: [{ type: 'beacon' }, { type: 'custom', name: 'x' }] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rejected[0]!.errors).toEqual([
      'events[0].type: expected one of page_view, engagement, download, form_submit, click, identify, email_open, email_click, custom',
    ]);
    expect(result.rejected[1]!.errors).toContain('events[1].id: required');
  });
});
