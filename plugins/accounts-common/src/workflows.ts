/**
 * What the cluster side of an account holds after provisioning, answered by
 * `POST /api/accounts/accounts/{name}/provision`. Secrets are listed by name
 * and key only, never with their values.
 *
 * @public
 */
export interface ProvisionResult {
  cluster: string;
  namespace: string;
  /** Applied with the API server's dry run: nothing was changed. */
  dryRun: boolean;
  objects: ProvisionedObject[];
}

/**
 * One object server-side applied by provisioning.
 *
 * @public
 */
export interface ProvisionedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** `unchanged` when the apply changed nothing (same resourceVersion). */
  action: 'created' | 'configured' | 'unchanged';
  /** For Secrets: the keys written (values are never returned). */
  keys?: string[];
}

/**
 * One HelmRelease of an account as Flux reports it.
 *
 * @public
 */
export interface ReleaseReadiness {
  name: string;
  /** The `Ready` condition's status; `undefined` before Flux reported one. */
  ready?: boolean;
  reason?: string;
  message?: string;
  /** Flux has seen the current spec (`status.observedGeneration`). */
  observed: boolean;
  suspended: boolean;
  /** The chart version Flux last attempted (`status.lastAttemptedRevision`). */
  lastAttemptedRevision?: string;
  /** The deployed Helm revision (`status.history[0]`), when installed. */
  deployed?: { chartVersion?: string; version?: number; status?: string };
}

/**
 * Whether Flux has applied an account's folder and its releases are Ready,
 * answered by `GET /api/accounts/accounts/{name}/readiness`.
 *
 * - `ready`: the Kustomization applied the wanted commit (or any, when none
 *   was asked for) and every HelmRelease is Ready for its current spec.
 * - `progressing`: not there yet, nothing failed.
 * - `failed`: the Kustomization or a HelmRelease failed; `message` names it,
 *   with Flux's message.
 * - `suspended`: the Kustomization or a HelmRelease is suspended.
 * - `missing`: the cluster has no Kustomization for the account
 *   (not provisioned).
 *
 * @public
 */
export interface AccountReadiness {
  account: string;
  cluster: string;
  state: 'ready' | 'progressing' | 'failed' | 'suspended' | 'missing';
  /** One sentence for people: what is ready, what is awaited or what failed. */
  message: string;
  /** The commit asked for, when one was. */
  wantedRevision?: string;
  kustomization?: {
    name: string;
    namespace: string;
    ready?: boolean;
    reason?: string;
    message?: string;
    /** e.g. `main@sha1:0123…`. */
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    suspended: boolean;
  };
  releases: ReleaseReadiness[];
  /** ISO 8601, when it was read from the cluster. */
  checkedAt: string;
}

/**
 * The state of an operation or of one of its steps.
 *
 * @public
 */
export type OperationStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'skipped';

/**
 * One step of an operation (export, provision, commit, wait, record).
 *
 * @public
 */
export interface OperationStep {
  /** Stable id within the operation, e.g. `export`, `provision`. */
  id: string;
  title: string;
  status: OperationStatus;
  /** ISO 8601. */
  startedAt?: string;
  finishedAt?: string;
  /** What it did or why it failed, for people. */
  message?: string;
}

/**
 * A long-running workflow run by the accounts backend, answered by
 * `GET /api/accounts/operations/{id}`. `POST /accounts/{name}/deploy`
 * answers 202 with it.
 *
 * @public
 */
export interface Operation {
  id: string;
  kind: 'deploy';
  account: string;
  status: OperationStatus;
  /** User entity ref of who asked for it. */
  requestedBy: string;
  reason?: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  steps: OperationStep[];
  /** Why it failed: the failed step's message. */
  error?: string;
  /** Set by the commit step: the config repository commit deployed. */
  commit?: string;
  /** Set when the deployment was recorded. */
  deploymentId?: string;
}

/**
 * A finished deploy of an account, listed on its page by
 * `GET /api/accounts/accounts/{name}/deployments` (newest first).
 *
 * @public
 */
export interface Deployment {
  id: string;
  account: string;
  environment: string;
  cluster: string;
  operationId: string;
  /** The config repository commit Flux applied. */
  commit: string;
  /** Service name → image tag deployed. */
  versions: Record<string, string>;
  deployedBy: string;
  reason?: string;
  /** ISO 8601. */
  deployedAt: string;
}

/**
 * Body of `POST /api/accounts/accounts/{name}/deploy`.
 *
 * @public
 */
export interface DeployAccountRequest {
  /** Why, for the commit message and the audit trail. */
  reason?: string;
  /** Service name → image tag to pin for this deploy. */
  versions?: Record<string, string>;
}

/**
 * A configured cluster, answered by `GET /api/accounts/clusters`. Connection
 * details (URL, credentials) are never part of it.
 *
 * @public
 */
export interface ClusterInfo {
  name: string;
  environment: string;
  region?: string;
  /** Served by the local cluster simulator, not a real cluster. */
  simulated: boolean;
}
