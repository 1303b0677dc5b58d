import { Model, type ModelInput } from '../../../shared/contracts/model.ts';

/** A small valid model; tests override the parts they are about. */
export function makeModel(overrides: Partial<ModelInput> = {}): Model {
  return Model.parse({
    id: 'test',
    name: 'Test model',
    version: 1,
    halfLifeDays: 10,
    fitRules: [],
    interestRules: [],
    negativeRules: [],
    caps: { interestMax: 1000, interestFloor: 0 },
    thresholds: { grades: { A: 75, B: 50, C: 25 }, engaged: 10, mql: { interest: 50, minGrade: 'C' } },
    handRaise: [],
    ...overrides,
  });
}
