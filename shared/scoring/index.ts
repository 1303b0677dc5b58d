// The scoring engine: pure functions over plain data. No I/O and no clock: every function
// that needs "now" takes it as a parameter, so the server, the extension and the CLI agree.
export { compileModel, compileEventMatch } from './compile.ts';
export { DAY_MS, decayFactor, decayed } from './decay.ts';
export { evidenceOf } from './evidence.ts';
export { english, fill, wordEvidence, wordReason, wordReasonEvidence, wordStageReason, wordNextStep, attributeLabel, attributeValue, ruleName, type Words } from './wording.ts';
export { EN_WORDS, type WordKey } from './words-en.ts';
export { scoreFit, fitFigures, gradeOf, attributeOf, type FitFigures } from './fit.ts';
export { pathOf, globMatcher, globMatches } from './glob.ts';
export {
  emptyState,
  applyEvent,
  applyEvents,
  applyEventInPlace,
  applyEventsInPlace,
  stateFromHistory,
  needsRebuild,
  compareEvents,
  rawInterest,
  interestAt,
  readInterest,
} from './interest.ts';
export { stageOf, type StageInput, type StageResult } from './stage.ts';
export { readScore, readScoreFigures, scoreLead, scoreLeadWithModels, interestSeries, type LeadFacts, type ScoreFigures } from './score.ts';
export { parseModel, type ModelCheck } from './validate.ts';
export { B2B_STARTER, defaultModel } from './default-model.ts';
