import { expect } from 'vitest';
import type { z } from 'zod';

/**
 * Asserts that a JSON answer is exactly its contract: it parses (no field of a wrong type, none
 * missing) and parsing keeps it whole (no field the contract does not know, which `parse` would
 * strip). Either kind of drift between a route and shared/contracts fails here.
 */
export function expectContract<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${what}: the answer does not fit its contract: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  expect(parsed.data, `${what}: the answer has fields its contract does not declare`).toEqual(json);
  return parsed.data;
}
