import { StoredOperation } from './OperationsStore';

/** What a running step may see and do. */
export interface StepContext {
  /** The operation as stored when the step started. */
  operation: StoredOperation;
  /** Aborted when the backend shuts down or another replica took over. */
  signal: AbortSignal;
  /** Shows progress while the step runs (replaces the step's message). */
  progress(message: string): Promise<void>;
  /** Stores results later steps (or a resumed run) need. */
  set(changes: { commit?: string; deploymentId?: string }): Promise<void>;
}

/** How a step ended. */
export interface StepOutcome {
  message: string;
  /** The step had nothing to do (e.g. no export target configured). */
  skipped?: boolean;
}

/**
 * One step of a workflow. Steps must be idempotent: a resumed operation runs
 * the interrupted step again from its start.
 */
export interface WorkflowStep {
  id: string;
  title: string;
  run(context: StepContext): Promise<StepOutcome>;
}
