/**
 * flow's public API for TypeScript pipelines:
 *
 *   import { definePipeline } from 'flow';
 *   export default definePipeline({ tasks: { hello: { run: 'echo hello' } } });
 */
import type { PipelineDefinition } from './pipeline/types.js';

export type {
  PipelineDefinition,
  TaskDefinition,
  TaskSettings,
  TaskContext,
  TaskFunction,
  TriggerRule,
  RetryBackoff,
} from './pipeline/types.js';

/** Declares a pipeline; returns it unchanged, typed, so editors check its keys. */
export function definePipeline<T extends PipelineDefinition>(pipeline: T): T {
  return pipeline;
}
