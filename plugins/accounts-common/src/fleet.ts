/*
 * The fleet: which version of which service runs in which account, whether
 * it is what the config repository says, and whether Flux is healthy.
 * Answered by `GET /api/accounts/fleet` and `GET /api/accounts/accounts/{name}/status`.
 */

/**
 * One state per HelmRelease (a cell of the fleet matrix), rolled up by the
 * accounts backend's health model (`fleet/health/releaseHealth.ts`, which
 * documents the order in which the rules apply):
 *
 * - `healthy`: Ready for its current spec, running the desired version.
 * - `progressing`: Flux is working on it (a new spec or reconcile request
 *   not yet handled, `Reconciling`, an attempt newer than what is deployed).
 * - `failed`: Flux gave up on it for now (install or upgrade failed, rolled
 *   back, `Stalled`), or its ImagePolicy fails.
 * - `suspended`: `spec.suspend` is set.
 * - `drifted`: Helm's `Drifted` condition, or Ready but running another
 *   version than the config repository asks for.
 * - `stale`: the cluster cannot be read now; what is shown is the last known.
 * - `unknown`: not on the cluster, or never reconciled.
 *
 * @public
 */
export type HealthState =
  | 'healthy'
  | 'progressing'
  | 'failed'
  | 'suspended'
  | 'drifted'
  | 'stale'
  | 'unknown';

/**
 * Every {@link HealthState}, in the order the UI lists them.
 *
 * @public
 */
export const HEALTH_STATES: readonly HealthState[] = [
  'failed',
  'drifted',
  'progressing',
  'suspended',
  'stale',
  'unknown',
  'healthy',
];

/**
 * An image tag as people read it: `main-<sha>-<unix-ts>` (what staging's
 * image automation follows) is shown as the commit and the build time.
 *
 * @public
 */
export interface ImageVersion {
  tag: string;
  /** For `main-<sha>-<unix-ts>` tags. */
  build?: { branch: string; commit: string; builtAt: string };
}

/**
 * A Flux status condition, as the object reports it.
 *
 * @public
 */
export interface FluxCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * One entry of a HelmRelease's `status.history` (newest first).
 *
 * @public
 */
export interface HelmReleaseRevision {
  /** The Helm release revision. */
  version: number;
  chartVersion?: string;
  appVersion?: string;
  status?: string;
  deployedAt?: string;
}

/**
 * Everything the portal shows of one HelmRelease of an account.
 *
 * @public
 */
export interface ReleaseHealth {
  /** The service (the HelmRelease's name). */
  service: string;
  namespace: string;
  state: HealthState;
  /** One sentence: why this state, with Flux's message where there is one. */
  message: string;
  /** The version the config repository asks for (at `desiredRevision`). */
  desired?: ImageVersion;
  /** The version the cluster runs (its workload's image). */
  live?: ImageVersion;
  /** Ready, Released, Remediated, Drifted, Reconciling, Stalled, as reported. */
  conditions: FluxCondition[];
  /** `status.history`, newest first. */
  history: HelmReleaseRevision[];
  /** `status.lastAttemptedRevision` (a chart version). */
  lastAttemptedRevision?: string;
  failures: { install: number; upgrade: number; total: number };
  suspended: boolean;
  /** Who suspended it through the portal, and when. */
  suspendedBy?: { actor: string; at: string };
  generation?: number;
  observedGeneration?: number;
  lastHandledReconcileAt?: string;
}

/**
 * The live state of one Deployment of an account (seed 003's web, worker
 * and beat pods).
 *
 * @public
 */
export interface WorkloadHealth {
  name: string;
  /** The HelmRelease that owns it, when Flux's labels say so. */
  release?: string;
  image?: ImageVersion;
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
}

/**
 * What a cluster's part of the live state is worth right now.
 *
 * @public
 */
export interface ClusterSyncStatus {
  cluster: string;
  /** When the cache last had a complete, current view of the cluster. */
  syncedAt?: string;
  /** True while the cluster cannot be read (its objects are the last known). */
  stale: boolean;
  /** Why, when it cannot be read (e.g. `Cluster 'x' did not answer within 5 s`). */
  error?: string;
}

/**
 * One account's fleet status: `GET /api/accounts/accounts/{name}/status`.
 *
 * @public
 */
export interface AccountStatus {
  account: string;
  cluster: ClusterSyncStatus;
  /** The config repository commit the desired versions were read at. */
  desiredRevision?: string;
  /** The account's Kustomization as Flux reports it. */
  kustomization?: {
    name: string;
    namespace: string;
    state: HealthState;
    message: string;
    conditions: FluxCondition[];
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    suspended: boolean;
    suspendedBy?: { actor: string; at: string };
    lastHandledReconcileAt?: string;
  };
  releases: ReleaseHealth[];
  workloads: WorkloadHealth[];
}

/**
 * One account's row of the fleet matrix. `cells[i]` is the account's
 * release of `FleetMatrix.services[i]`, or `null` when the service is not
 * enabled for the account (JSON has no `undefined`).
 *
 * @public
 */
export interface FleetRow {
  account: string;
  environment: string;
  region: string;
  cluster: string;
  uat: boolean;
  cells: Array<FleetCell | null>;
}

/**
 * One cell of the matrix, compact: `[desired, live, state]`, where desired
 * and live index `FleetMatrix.versions` (-1: none) and state indexes
 * `FleetMatrix.states`. 2,000 accounts × 20 services stay well under 1 MB
 * gzipped this way.
 *
 * @public
 */
export type FleetCell = [desired: number, live: number, state: number];

/**
 * The fleet matrix: `GET /api/accounts/fleet`, filtered server-side by
 * `environment`, `region`, `cluster`, `uat`, `service` and `state`.
 *
 * @public
 */
export interface FleetMatrix {
  /** ISO 8601, when the matrix was computed. */
  generatedAt: string;
  /** Changes whenever any input changes (for ETags and live updates). */
  version: string;
  desiredRevision?: string;
  /** The columns. */
  services: string[];
  /** The states cells index. */
  states: HealthState[];
  /** Every distinct version the cells refer to. */
  versions: ImageVersion[];
  rows: FleetRow[];
  /** Cells per state, over the rows returned. */
  counts: Record<HealthState, number>;
  clusters: ClusterSyncStatus[];
}

/**
 * A Flux action on an account's object: what
 * `POST /api/accounts/accounts/{name}/helmreleases/{release}/{action}` and
 * `POST /api/accounts/accounts/{name}/kustomization/{action}` answer.
 *
 * @public
 */
export interface FluxActionResult {
  account: string;
  kind: 'HelmRelease' | 'Kustomization';
  namespace: string;
  name: string;
  action: 'reconcile' | 'suspend' | 'resume';
  /** The `reconcile.fluxcd.io/requestedAt` token the action wrote, if any. */
  requestedAt?: string;
  /**
   * Flux handled the request within the wait (`lastHandledReconcileAt`
   * equals `requestedAt`); false when the wait ran out first.
   */
  handled: boolean;
  suspended: boolean;
  /** One sentence for people, with Flux's Ready message when handled. */
  message: string;
}
