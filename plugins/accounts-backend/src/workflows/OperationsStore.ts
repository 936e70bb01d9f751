import {
  Deployment,
  Operation,
  OperationStep,
} from '@fleet-portal/plugin-accounts-common';

/** What starting an operation records. */
export interface NewOperation {
  kind: Operation['kind'];
  account: string;
  requestedBy: string;
  reason?: string;
  /** The request body, kept to run (and resume) the steps. */
  request: Record<string, unknown>;
  steps: Array<Pick<OperationStep, 'id' | 'title'>>;
}

/** The fields of an operation a running step may change. */
export type OperationChanges = Partial<
  Pick<
    Operation,
    'status' | 'steps' | 'error' | 'commit' | 'deploymentId' | 'finishedAt'
  >
>;

/** An operation together with the request it runs. */
export interface StoredOperation extends Operation {
  request: Record<string, unknown>;
}

/**
 * Operations and deployments in the plugin's database. A lease says which
 * replica runs an operation; whoever finds it expired may take it over.
 */
export interface OperationsStore {
  /**
   * Records a pending operation leased to `owner`; throws `ConflictError`
   * when another operation of the account is unfinished.
   */
  create(
    operation: NewOperation,
    lease: { owner: string; ms: number },
  ): Promise<StoredOperation>;
  get(id: string): Promise<StoredOperation | undefined>;
  /** Saves changes, only while `owner` holds the lease; false otherwise. */
  update(
    id: string,
    owner: string,
    changes: OperationChanges,
  ): Promise<boolean>;
  /** Takes (or extends) the lease when it is free, expired or ours. */
  claim(id: string, owner: string, ms: number): Promise<boolean>;
  /** Gives the lease up, so another replica may resume at once. */
  release(id: string, owner: string): Promise<void>;
  /** Unfinished operations whose lease ran out, oldest first. */
  listResumable(limit: number): Promise<string[]>;
  /** Recent operations of an account, newest first. */
  listForAccount(account: string, limit: number): Promise<Operation[]>;
  /** Records a deployment once per operation; returns the stored one. */
  recordDeployment(deployment: Deployment): Promise<Deployment>;
  /** Deployments of an account, newest first. */
  listDeployments(account: string, limit: number): Promise<Deployment[]>;
}
