import { createHash } from 'crypto';
import fs from 'fs';
import git from 'isomorphic-git';
import { ClusterStore, KubeObject } from './ClusterStore';
import {
  conditionsOf,
  kubeTime,
  removeCondition,
  setCondition,
  statusOf,
} from './fluxConditions';
import { writeStatus } from './fluxStatusWriter';

/** A GitRepository Flux's bootstrap created, and the local bare repository it reads. */
export interface SimulatedGitRepository {
  namespace: string;
  name: string;
  /** `spec.url`, as the cluster would clone it (http, https or ssh). */
  url: string;
  branch: string;
  /** The bare repository on disk the simulated source-controller reads. */
  path: string;
}

export const GIT_REPOSITORY_API = 'source.toolkit.fluxcd.io/v1';
export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
const FIELD_MANAGER = 'source-controller';
/** Where the real source-controller serves artifacts; only ever printed. */
const ARTIFACT_HOST = 'source-controller.flux-system.svc.cluster.local.';

/** What the branch head is now: a revision, or why there is none. */
export type SourceObservation =
  | { revision: string; sha: string }
  | { error: string };

/** The objects `flux bootstrap` leaves for these repositories. */
export function bootstrapObjects(
  repositories: SimulatedGitRepository[],
): KubeObject[] {
  const namespaces = [...new Set(repositories.map(r => r.namespace))];
  return [
    ...namespaces.map(name => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: {
          'app.kubernetes.io/instance': name,
          'app.kubernetes.io/part-of': 'flux',
        },
      },
    })),
    ...repositories.map(repository => ({
      apiVersion: GIT_REPOSITORY_API,
      kind: 'GitRepository',
      metadata: { name: repository.name, namespace: repository.namespace },
      spec: {
        interval: '1m0s',
        ref: { branch: repository.branch },
        timeout: '60s',
        url: repository.url,
      },
    })),
  ];
}

/** The key of a GitRepository among the configured ones. */
export function repositoryKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The commit sha of a `<branch>@sha1:<sha>` revision. */
export function revisionSha(revision: string | undefined): string | undefined {
  return revision?.match(/@sha1:([0-9a-f]{40})$/)?.[1];
}

/**
 * The simulated source-controller: reads each GitRepository's branch head
 * from its local bare repository and publishes it as the artifact revision.
 */
export class SourceReconciler {
  private readonly paths = new Map<string, string>();

  constructor(
    private readonly store: ClusterStore,
    repositories: SimulatedGitRepository[],
  ) {
    for (const r of repositories) {
      this.paths.set(repositoryKey(r.namespace, r.name), r.path);
    }
  }

  /** The local bare repository a GitRepository reads, if the simulator knows it. */
  pathOf(namespace: string, name: string): string | undefined {
    return this.paths.get(repositoryKey(namespace, name));
  }

  /** Reads the branch head the object asks for. */
  async observe(object: KubeObject): Promise<SourceObservation> {
    const spec = (object.spec ?? {}) as Record<string, any>;
    const branch: string = spec.ref?.branch ?? 'master';
    const unableToClone = `failed to checkout and determine revision: unable to clone '${spec.url}'`;
    const gitdir = this.pathOf(
      object.metadata.namespace ?? '',
      object.metadata.name,
    );
    if (!gitdir || !fs.existsSync(gitdir)) {
      return { error: `${unableToClone}: repository not found` };
    }
    try {
      const sha = await git.resolveRef({
        fs,
        gitdir,
        ref: `refs/heads/${branch}`,
      });
      return { revision: `${branch}@sha1:${sha}`, sha };
    } catch {
      return {
        error: `${unableToClone}: couldn't find remote ref "refs/heads/${branch}"`,
      };
    }
  }

  /** Whether the status does not yet say what `observation` says. */
  isOutdated(object: KubeObject, observation: SourceObservation): boolean {
    const status = statusOf(object);
    const ready = conditionsOf(object).find(c => c.type === 'Ready');
    if (status.observedGeneration !== object.metadata.generation) return true;
    if (status.lastHandledReconcileAt !== requestedAt(object)) return true;
    if ('error' in observation) return ready?.message !== observation.error;
    return (
      status.artifact?.revision !== observation.revision ||
      ready?.status !== 'True'
    );
  }

  /** Writes the status that `observation` calls for (nothing when unchanged). */
  publish(object: KubeObject, observation: SourceObservation): void {
    writeStatus(this.store, object, FIELD_MANAGER, (before, current) => {
      const generation = current.metadata.generation;
      let conditions = conditionsOf(current);
      const status: Record<string, any> = {
        ...before,
        observedGeneration: generation,
        lastHandledReconcileAt: requestedAt(current),
      };
      if ('error' in observation) {
        const failed = {
          reason: 'GitOperationFailed',
          message: observation.error,
        };
        conditions = setCondition(
          conditions,
          { type: 'FetchFailed', status: 'True', ...failed },
          generation,
        );
        conditions = setCondition(
          conditions,
          { type: 'Ready', status: 'False', ...failed },
          generation,
        );
      } else {
        const { namespace = '', name } = current.metadata;
        const artifactPath = `gitrepository/${namespace}/${name}/${observation.sha}.tar.gz`;
        if (before.artifact?.revision !== observation.revision) {
          status.artifact = {
            digest: `sha256:${createHash('sha256')
              .update(observation.revision)
              .digest('hex')}`,
            lastUpdateTime: kubeTime(),
            path: artifactPath,
            revision: observation.revision,
            url: `http://${ARTIFACT_HOST}/${artifactPath}`,
          };
        }
        const stored = {
          status: 'True' as const,
          reason: 'Succeeded',
          message: `stored artifact for revision '${observation.revision}'`,
        };
        conditions = removeCondition(conditions, 'FetchFailed');
        conditions = setCondition(
          conditions,
          { type: 'Ready', ...stored },
          generation,
        );
        conditions = setCondition(
          conditions,
          { type: 'ArtifactInStorage', ...stored },
          generation,
        );
      }
      status.conditions = removeCondition(conditions, 'Reconciling');
      return status;
    });
  }
}

/** The `reconcile.fluxcd.io/requestedAt` token on an object, if any. */
export function requestedAt(object: KubeObject): string | undefined {
  return object.metadata.annotations?.[REQUESTED_AT];
}
