export type { FactType, FactSpec, FactCatalog, Facts, CustomOperator, CustomOperators, ConfigPath, ConditionLimits } from './types';
export {
  builtInOperators,
  builtInOperatorNames,
  operatorDecoratorNames,
  resolveOperator,
  isCustomOperatorName,
} from './operators';
export type { OperatorFn, BuiltInOperatorName, OperatorDecoratorName, ResolvedOperator } from './operators';
export { validateConditions, DEFAULT_CONDITION_LIMITS } from './validate';
export type { ConditionSet, ConditionIssueCode } from './validate';
export { compileConditions } from './compile';
export type { CompileMode, CompileOptions, CompiledConditions } from './compile';
export { failedLeaves } from './trace';
export type { ConditionTrace, ComparisonTrace } from './trace';
