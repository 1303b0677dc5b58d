import { describe, expect, it } from 'vitest';
import { ScoreState, STATE_VERSION, storedState } from '../../../shared/contracts/score-state.ts';
import { applyEvents, emptyState, readScore } from '../../../shared/scoring/index.ts';
import { defaultModel } from '../../../shared/scoring/default-model.ts';
import { visit } from '../../extension/fake-api.ts';

// Stored states from before reasons became data (version 1, English evidence) are not read
// as current: the caller rebuilds them from history. Current ones decode through the schema.

describe('stored score states', () => {
  const events = visit('s', 'v', Date.UTC(2025, 0, 1), [{ path: '/pricing', title: 'Pricing' }, { form: 'demo-request' }]);
  const state = applyEvents(defaultModel, emptyState(defaultModel), events);

  it('a current state round-trips and passes the schema, evidence as data', () => {
    const back = storedState(JSON.stringify(state))!;
    expect(back.v).toBe(STATE_VERSION);
    expect(ScoreState.parse(back)).toEqual(state);
    expect(back.handRaise?.evidence).toEqual({ kind: 'submitted', form: 'demo-request' });
    const score = readScore(defaultModel, { profile: { email: 'a@acme.nl' } }, back, Date.UTC(2025, 0, 2));
    expect(score.stageReason).toMatchObject({ kind: 'hand-raise', evidence: { kind: 'submitted', form: 'demo-request' } });
  });

  it('a version 1 state (English evidence) is not taken as current', () => {
    const old = { ...state, v: 1, rules: { 'pricing-page': { ...state.rules['pricing-page']!, evidence: 'visited Pricing (/pricing)' } }, handRaise: { ...state.handRaise!, evidence: 'submitted form demo-request' } };
    expect(storedState(JSON.stringify(old))).toBeUndefined();
    expect(ScoreState.safeParse(old).success).toBe(false);
  });

  it('text that is not JSON, or JSON without the state shape, is not taken as current', () => {
    const text = JSON.stringify(state);
    expect(storedState(text.slice(0, 30))).toBeUndefined();
    expect(storedState('null')).toBeUndefined();
    expect(storedState(JSON.stringify({ v: STATE_VERSION, modelId: state.modelId }))).toBeUndefined();
    expect(storedState(JSON.stringify({ ...state, rules: [] }))).toBeUndefined();
    expect(storedState(JSON.stringify({ ...state, decaying: 'a lot' }))).toBeUndefined();
    expect(storedState(text)).toEqual(state);
  });
});
