import { z } from 'zod';

// Query-string fields as the routes have always read them: a value is a string (Fastify's
// parser gives an array for a repeated key, which reads as "not given" for text and as
// invalid for numbers), and each refusal's message says which field and what it expects.

/**
 * A text that `test` accepts, else the issue `message` (also when absent). A transform, not a
 * refine: zod skips the checks of an absent optional key, and this one must run.
 */
export function requiredText(test: (v: string) => boolean, message: string): z.ZodType<string, unknown> {
  return z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      if (typeof v === 'string' && test(v)) return v;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    });
}

/** A non-empty text, else undefined (absent, empty, or repeated). */
export function optionalText(): z.ZodType<string | undefined, unknown> {
  return z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' && v !== '' ? v : undefined));
}

/** Any value or none, for a field the route reads itself (a header may stand in for it). */
export function anyValue(): z.ZodType<unknown, unknown> {
  return z.unknown().optional();
}

/** An integer of 1 to 9 digits within [min, max]; `def` when absent or empty. */
export function intField(def: number, min: number, max: number, message: string): z.ZodType<number, unknown> {
  return z.unknown().optional().transform((v, ctx) => {
    const n = intParam(v, def, min, max);
    if (n === undefined) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });
}

function intParam(v: unknown, def: number, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return def;
  if (typeof v !== 'string' || !/^\d{1,9}$/.test(v)) return undefined;
  const n = Number(v);
  return n < min || n > max ? undefined : n;
}
