import { describe, expect, it } from 'vitest';
import { uuidv7, uuidv7Time } from '../../shared/ids.ts';
import { Uuid } from '../../shared/contracts/event.ts';

describe('uuidv7', () => {
  it('is a valid v7 UUID carrying its creation time', () => {
    const t = Date.UTC(2026, 10, 23, 12, 0, 0, 123);
    const id = uuidv7(t);
    expect(Uuid.safeParse(id).success).toBe(true);
    expect(id[14]).toBe('7');
    expect(uuidv7Time(id)).toBe(t);
  });

  it('sorts by time as text', () => {
    const ids = [3, 1, 2].map((i) => uuidv7(1_800_000_000_000 + i * 1000));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });
});
