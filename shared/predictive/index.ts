export * from './table.ts';
export * from './random.ts';
export * from './encode.ts';
export * from './logistic.ts';
export * from './folds.ts';
export * from './model.ts';
export * from './cv.ts';
export * from './lead-features.ts';
