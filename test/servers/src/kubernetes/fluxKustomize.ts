import { createHash } from 'crypto';
import { ClusterStore, KubeObject, ObjectRef } from './ClusterStore';
import {
  applyStaged,
  InventoryEntry,
  pruneStale,
  withOwnerLabels,
} from './fluxApply';
import { buildKustomization, FluxBuildError } from './fluxBuild';
import {
  ConditionChange,
  findCondition,
  removeCondition,
  setCondition,
  statusOf,
} from './fluxConditions';
import { requestedAt, revisionSha, SourceReconciler } from './fluxSource';
import { writeStatus } from './fluxStatusWriter';
import { formatGoDuration, parseGoDuration } from './goDuration';
import { upsertHistory } from './kustomizationHistory';

export const KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';
const FIELD_MANAGER = 'kustomize-controller';

/** The source a Kustomization reads, with its namespace defaulted. */
export function sourceRefOf(object: KubeObject): ObjectRef {
  const ref = ((object.spec as any)?.sourceRef ?? {}) as Record<string, string>;
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: ref.kind,
    namespace: ref.namespace || object.metadata.namespace,
    name: ref.name,
  };
}

/**
 * The simulated kustomize-controller's reconciliation of one Kustomization:
 * build the folder at the source's revision, apply it server-side, prune what
 * left it, and report like Flux does. Returns when to requeue (ms).
 */
export class KustomizeReconciler {
  constructor(
    private readonly store: ClusterStore,
    private readonly sources: SourceReconciler,
    private readonly sleep: (ms: number) => Promise<boolean>,
    private readonly delayMs: number,
  ) {}

  async reconcile(ref: ObjectRef): Promise<number | undefined> {
    const object = this.store.get(ref);
    const spec = (object?.spec ?? {}) as Record<string, any>;
    if (!object || spec.suspend) return undefined;
    const interval = parseGoDuration(spec.interval) ?? 600_000;
    const retryInterval = parseGoDuration(spec.retryInterval) ?? interval;
    const timeout = parseGoDuration(spec.timeout) ?? interval;
    const finish = (
      change: ConditionChange,
      extra: Record<string, unknown> = {},
    ) => this.finish(object, change, extra);

    const source = this.resolveSource(object);
    if ('error' in source) {
      finish({
        type: 'Ready',
        status: 'False',
        reason: 'ArtifactFailed',
        message: source.error,
      });
      return retryInterval;
    }
    const { revision, gitdir, sha } = source;
    writeStatus(this.store, ref, FIELD_MANAGER, status => {
      let conditions = setCondition(
        status.conditions ?? [],
        {
          type: 'Reconciling',
          status: 'True',
          reason: 'Progressing',
          message: `Fetching manifests for revision ${revision} with a timeout of ${formatGoDuration(
            timeout,
          )}`,
        },
        object.metadata.generation,
      );
      conditions = setCondition(
        conditions,
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'Progressing',
          message: 'Reconciliation in progress',
        },
        object.metadata.generation,
      );
      return { ...status, conditions };
    });
    if (!(await this.sleep(this.delayMs))) return undefined;
    if (!this.store.get(ref)) return undefined;

    const started = Date.now();
    let objects: KubeObject[];
    try {
      objects = await buildKustomization({
        gitdir,
        commit: sha,
        path: spec.path,
        targetNamespace: spec.targetNamespace,
      });
    } catch (error) {
      if (!(error instanceof FluxBuildError)) throw error;
      const attempted =
        error.reason === 'BuildFailed'
          ? { lastAttemptedRevision: revision }
          : {};
      finish(
        {
          type: 'Ready',
          status: 'False',
          reason: error.reason,
          message: error.message,
        },
        attempted,
      );
      return retryInterval;
    }
    const owner = {
      name: object.metadata.name,
      namespace: object.metadata.namespace ?? '',
    };
    objects = objects.map(o => withOwnerLabels(o, owner));
    const digest = `sha256:${createHash('sha256')
      .update(JSON.stringify(objects))
      .digest('hex')}`;
    const record = (result: string) => ({
      lastAttemptedRevision: revision,
      history: upsertHistory(statusOf(this.store.get(ref) ?? object).history, {
        digest,
        result,
        revision,
        durationMs: Date.now() - started,
      }),
    });

    const outcome = applyStaged(this.store, objects, FIELD_MANAGER);
    if (outcome.error) {
      const changes = outcome.log.filter(line => !line.endsWith(' unchanged'));
      const message = [outcome.error, ...changes].join('\n');
      finish(
        {
          type: 'Ready',
          status: 'False',
          reason: 'ReconciliationFailed',
          message,
        },
        record('ReconciliationFailed'),
      );
      return retryInterval;
    }
    const previous: InventoryEntry[] =
      statusOf(object).inventory?.entries ?? [];
    if (spec.prune) {
      try {
        pruneStale(this.store, previous, outcome.inventory, owner);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const survivors = previous.filter(
          p => !outcome.inventory.some(e => e.id === p.id),
        );
        finish(
          { type: 'Ready', status: 'False', reason: 'PruneFailed', message },
          {
            ...record('PruneFailed'),
            inventory: { entries: [...outcome.inventory, ...survivors] },
          },
        );
        return retryInterval;
      }
    }
    finish(
      {
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: `Applied revision: ${revision}`,
      },
      {
        ...record('ReconciliationSucceeded'),
        lastAppliedRevision: revision,
        inventory: { entries: outcome.inventory },
      },
    );
    return interval;
  }

  /**
   * What Flux's finalizer does when a Kustomization with `prune: true` is
   * deleted: its inventory goes with it.
   */
  finalize(deleted: KubeObject): void {
    const spec = (deleted.spec ?? {}) as Record<string, any>;
    if (!spec.prune || spec.suspend) return;
    const owner = {
      name: deleted.metadata.name,
      namespace: deleted.metadata.namespace ?? '',
    };
    try {
      pruneStale(
        this.store,
        statusOf(deleted).inventory?.entries ?? [],
        [],
        owner,
      );
    } catch {
      // Flux retries a failed finalizer; the simulator's deletes do not fail.
    }
  }

  private resolveSource(
    object: KubeObject,
  ): { error: string } | { revision: string; sha: string; gitdir: string } {
    const ref = sourceRefOf(object);
    if (ref.kind !== 'GitRepository') {
      return {
        error: `source \`${ref.name}\` kind '${ref.kind}' not supported`,
      };
    }
    const source = this.store.get(ref);
    if (!source) {
      return {
        error: `gitrepositories.source.toolkit.fluxcd.io "${ref.name}" not found`,
      };
    }
    const revision: string | undefined = statusOf(source).artifact?.revision;
    const sha = revisionSha(revision);
    const gitdir = this.sources.pathOf(ref.namespace ?? '', ref.name);
    if (!revision || !sha || !gitdir) {
      return { error: 'Source artifact not found, retrying in 30s' };
    }
    return { revision, sha, gitdir };
  }

  /** The last status write of an attempt, with Flux's finalizeStatus rules. */
  private finish(
    object: KubeObject,
    ready: ConditionChange,
    extra: Record<string, unknown>,
  ) {
    const generation = object.metadata.generation;
    writeStatus(this.store, object, FIELD_MANAGER, status => {
      let conditions = setCondition(status.conditions ?? [], ready, generation);
      const next: Record<string, any> = {
        ...status,
        ...extra,
        lastHandledReconcileAt:
          requestedAt(object) ?? status.lastHandledReconcileAt,
      };
      if (ready.status === 'True') {
        conditions = removeCondition(conditions, 'Reconciling');
        next.observedGeneration = generation;
      } else {
        const reconciling = findCondition(conditions, 'Reconciling');
        if (reconciling) {
          conditions = setCondition(
            conditions,
            { ...reconciling, reason: 'ProgressingWithRetry' },
            generation,
          );
        }
      }
      next.conditions = conditions;
      return next;
    });
  }
}
