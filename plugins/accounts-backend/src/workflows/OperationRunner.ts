import { LoggerService } from '@backstage/backend-plugin-api';
import { Operation, OperationStep } from '@fleet-portal/plugin-accounts-common';
import { randomUUID } from 'crypto';
import {
  NewOperation,
  OperationChanges,
  OperationsStore,
  StoredOperation,
} from './OperationsStore';
import { publicOperation } from './operationRows';
import { WorkflowStep } from './WorkflowStep';

/** Thrown inside a run when this replica no longer holds the lease. */
class LeaseLostError extends Error {
  name = 'LeaseLostError';
}

/**
 * Runs operations in the background, one step after the other, saving each
 * step's state, so that `GET /operations/{id}` shows progress and a run cut
 * short (restart, crash, lost replica) is resumed from its unfinished step
 * by whichever replica finds its lease expired.
 */
export class OperationRunner {
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly running = new Map<
    string,
    { controller: AbortController; done: Promise<void> }
  >();

  constructor(
    private readonly options: {
      store: OperationsStore;
      /** The steps of each kind of operation, in order. */
      steps: Record<Operation['kind'], WorkflowStep[]>;
      logger: LoggerService;
      /** How long a lease lasts without renewal (30 s). */
      leaseMs?: number;
      /** This replica's id in leases (a random one). */
      owner?: string;
    },
  ) {
    this.owner = options.owner ?? randomUUID();
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** Records the operation and starts running it; answers at once. */
  async start(operation: Omit<NewOperation, 'steps'>): Promise<Operation> {
    const steps = this.options.steps[operation.kind].map(({ id, title }) => ({
      id,
      title,
    }));
    const stored = await this.options.store.create(
      { ...operation, steps },
      { owner: this.owner, ms: this.leaseMs },
    );
    this.launch(stored.id);
    return publicOperation(stored);
  }

  /** Resumes operations whose lease ran out; returns how many it took. */
  async resumeInterrupted(limit = 20): Promise<number> {
    let taken = 0;
    for (const id of await this.options.store.listResumable(limit)) {
      if (this.running.has(id)) continue;
      if (await this.options.store.claim(id, this.owner, this.leaseMs)) {
        this.options.logger.info('Resuming an interrupted operation', { id });
        this.launch(id);
        taken += 1;
      }
    }
    return taken;
  }

  /** Stops running operations and gives their leases up for a resume. */
  async shutdown(): Promise<void> {
    const runs = [...this.running.entries()];
    for (const [, run] of runs) run.controller.abort();
    await Promise.all(runs.map(([, run]) => run.done));
    await Promise.all(
      runs.map(([id]) => this.options.store.release(id, this.owner)),
    );
  }

  /** Resolves when nothing runs in this replica (for tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running.values()].map(r => r.done));
    }
  }

  private launch(id: string) {
    const controller = new AbortController();
    const done = this.run(id, controller)
      .catch(error => {
        if (error instanceof LeaseLostError || controller.signal.aborted) {
          this.options.logger.info('Stopped running an operation', {
            id,
            why: controller.signal.aborted ? 'shutdown' : 'lease lost',
          });
          return;
        }
        this.options.logger.error('Operation runner failed', {
          id,
          error: String(error),
        });
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, { controller, done });
  }

  private async run(id: string, controller: AbortController) {
    const { store } = this.options;
    const loaded = await store.get(id);
    if (!loaded) return;
    let operation: StoredOperation = loaded;
    const save = async (changes: OperationChanges) => {
      if (!(await store.update(id, this.owner, changes))) {
        throw new LeaseLostError(`Lost the lease of operation ${id}`);
      }
      operation = { ...operation, ...changes };
    };
    const renew = setInterval(() => {
      store.claim(id, this.owner, this.leaseMs).then(
        held => held || controller.abort(),
        () => undefined,
      );
    }, Math.max(1000, this.leaseMs / 3));
    try {
      const steps = this.options.steps[operation.kind];
      const states = mergeStates(operation.steps, steps);
      await save({ status: 'running', steps: states });
      for (const [index, step] of steps.entries()) {
        const state = states[index];
        if (state.status === 'succeeded' || state.status === 'skipped') {
          continue;
        }
        const update = (patch: Partial<OperationStep>) => {
          states[index] = { ...states[index], ...patch };
          return save({ steps: [...states] });
        };
        await update({
          status: 'running',
          startedAt: new Date().toISOString(),
          message: undefined,
        });
        try {
          const outcome = await step.run({
            operation,
            signal: controller.signal,
            progress: message => update({ message }),
            set: changes => save(changes),
          });
          await update({
            status: outcome.skipped ? 'skipped' : 'succeeded',
            finishedAt: new Date().toISOString(),
            message: outcome.message,
          });
        } catch (error) {
          if (error instanceof LeaseLostError || controller.signal.aborted) {
            throw error;
          }
          const message = (error as Error).message ?? String(error);
          await update({
            status: 'failed',
            finishedAt: new Date().toISOString(),
            message,
          });
          await save({
            status: 'failed',
            error: `${step.title}: ${message}`,
            finishedAt: new Date().toISOString(),
          });
          return;
        }
      }
      await save({ status: 'succeeded', finishedAt: new Date().toISOString() });
    } finally {
      clearInterval(renew);
    }
  }
}

/** The stored state of each step, in the workflow's current order. */
function mergeStates(
  stored: OperationStep[],
  steps: WorkflowStep[],
): OperationStep[] {
  return steps.map(
    step =>
      stored.find(s => s.id === step.id) ?? {
        id: step.id,
        title: step.title,
        status: 'pending',
      },
  );
}
