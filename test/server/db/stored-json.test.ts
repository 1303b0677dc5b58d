import { describe, expect, it } from 'vitest';
import { Outcome } from '../../../shared/contracts/lead.ts';
import { decodeStored, StoredRowError, tryDecodeStored } from '../../../server/db/stored-json.ts';

// The one decoder of stored JSON columns: through the contract, naming table, column and row.

const place = { table: 'leads', column: 'outcome', row: 'lead-1' };

describe('decoding a stored JSON column', () => {
  it('gives the value the contract reads', () => {
    expect(decodeStored(Outcome, '{"result":"won","at":5}', place)).toEqual({ result: 'won', at: 5 });
    expect(tryDecodeStored(Outcome, '{"result":"lost","at":6,"value":100}', place)).toEqual({ ok: true, value: { result: 'lost', at: 6, value: 100 } });
  });

  it('names the table, column, row and the refused fields of a value the contract refuses', () => {
    const r = tryDecodeStored(Outcome, '{"result":"maybe","at":"yesterday"}', place);
    if (r.ok) throw new Error('expected a refusal');
    expect(r.error).toBeInstanceOf(StoredRowError);
    expect(r.error).toMatchObject({ table: 'leads', column: 'outcome', row: 'lead-1' });
    expect(r.error.message).toMatch(/^stored leads\.outcome of row lead-1 does not decode: result: .*; at: /);
  });

  it('says when the text is not JSON, and throws from decodeStored', () => {
    expect(() => decodeStored(Outcome, '{"result":', place)).toThrow(/^stored leads\.outcome of row lead-1 does not decode: not JSON \(/);
    expect(() => decodeStored(Outcome, '[]', place)).toThrow('stored leads.outcome of row lead-1 does not decode: (the value): ');
  });
});
