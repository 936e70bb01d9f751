import {
  ClusterStore,
  KubeObject,
  ObjectRef,
  WatchEvent,
} from './ClusterStore';
import { statusOf } from './fluxConditions';
import { HelmReconciler } from './fluxHelm';
import {
  KustomizeReconciler,
  KUSTOMIZATION_API,
  sourceRefOf,
} from './fluxKustomize';
import { HELM_RELEASE_API } from './fluxRelease';
import {
  bootstrapObjects,
  GIT_REPOSITORY_API,
  requestedAt,
  SimulatedGitRepository,
  SourceReconciler,
} from './fluxSource';
import { refOf } from './fluxStatusWriter';
import { ReconcileQueue } from './ReconcileQueue';

/** How the simulated Flux controllers are set up. */
export interface FluxOptions {
  /** GitRepositories Flux's bootstrap would have created, with the local bare repository each one reads. */
  gitRepositories: SimulatedGitRepository[];
  /** Controller delays in ms; defaults look like the real thing (a few seconds); tests pass small values. */
  timing?: {
    sourceMs?: number;
    kustomizeMs?: number;
    helmMs?: number;
    pollMs?: number;
  };
}

const DEFAULT_TIMING = {
  sourceMs: 1000,
  kustomizeMs: 2000,
  helmMs: 3000,
  pollMs: 1000,
};
const BOOTSTRAP_MANAGER = 'flux-bootstrap';
/** The kinds the controllers watch. */
const WATCHED: Array<[string, string]> = [
  [GIT_REPOSITORY_API, 'GitRepository'],
  [KUSTOMIZATION_API, 'Kustomization'],
  [HELM_RELEASE_API, 'HelmRelease'],
];

/**
 * Flux's source-, kustomize- and helm-controllers for the simulated cluster,
 * compressed in time: they watch the store like the real ones watch the API
 * server and write the same statuses, so the portal's waiting and reporting
 * can be tested end to end.
 */
export class FluxSimulator {
  private readonly store: ClusterStore;
  private readonly repositories: SimulatedGitRepository[];
  private readonly timing: typeof DEFAULT_TIMING;
  private readonly queue = new ReconcileQueue();
  private readonly failures = new Map<string, string>();
  /** What each watched object last looked like to its trigger predicate. */
  private readonly seen = new Map<string, string>();
  private readonly sources: SourceReconciler;
  private readonly kustomize: KustomizeReconciler;
  private readonly helm: HelmReconciler;
  private unsubscribe?: () => void;

  constructor(options: FluxOptions & { store: ClusterStore }) {
    this.store = options.store;
    this.repositories = options.gitRepositories;
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    const sleep = (ms: number) => this.queue.sleep(ms);
    this.sources = new SourceReconciler(this.store, this.repositories);
    this.kustomize = new KustomizeReconciler(
      this.store,
      this.sources,
      sleep,
      this.timing.kustomizeMs,
    );
    this.helm = new HelmReconciler(
      this.store,
      sleep,
      this.timing.helmMs,
      (namespace, name) => this.failures.get(`${namespace}/${name}`),
    );
  }

  /**
   * Applies what `flux bootstrap` leaves (the namespace and GitRepositories)
   * and starts the controllers. A stopped simulator does not start again.
   */
  start(): void {
    if (this.unsubscribe || this.queue.isStopped) return;
    this.unsubscribe = this.store.subscribe(event => this.onEvent(event));
    for (const object of bootstrapObjects(this.repositories)) {
      this.store.apply(object, {
        fieldManager: BOOTSTRAP_MANAGER,
        force: true,
      });
    }
    // Like an informer's initial list: objects that were there before.
    for (const [apiVersion, kind] of WATCHED) {
      for (const object of this.store.list(apiVersion, kind).items) {
        this.onEvent({ type: 'ADDED', object });
      }
    }
    this.queue.repeat(this.timing.pollMs, () => this.pollSources());
  }

  /** Stops every controller; no timer or pending work remains. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.queue.stop();
  }

  /** From now on, installs and upgrades of that HelmRelease fail with `message`. */
  failRelease(namespace: string, name: string, message: string): void {
    this.failures.set(`${namespace}/${name}`, message);
  }

  /** Lets that HelmRelease's installs and upgrades succeed again. */
  clearFailure(namespace: string, name: string): void {
    this.failures.delete(`${namespace}/${name}`);
  }

  /**
   * Checks the sources once (as the next poll would), then resolves when no
   * reconciliation is pending or in progress. Rejects with an unexpected
   * error a controller hit, if any.
   */
  async idle(): Promise<void> {
    // Only running controllers poll; before start() there is nothing to do.
    if (this.unsubscribe) await this.pollSources();
    await this.queue.drained();
  }

  private async pollSources(): Promise<void> {
    const { items } = this.store.list(GIT_REPOSITORY_API, 'GitRepository');
    for (const object of items) {
      if ((object.spec as any)?.suspend) continue;
      const observation = await this.sources.observe(object);
      if (this.sources.isOutdated(object, observation))
        this.enqueueSource(refOf(object));
    }
  }

  private onEvent({ type, object }: WatchEvent): void {
    const kind = object.kind;
    const group = object.apiVersion.split('/')[0];
    const key = `${kind}/${object.metadata.namespace}/${object.metadata.name}`;
    const ref = refOf(object);
    if (type === 'DELETED') {
      this.forget(key);
      if (kind === 'Kustomization' && group === 'kustomize.toolkit.fluxcd.io') {
        this.queue.cancelRequeue(key);
        this.kustomize.finalize(object);
      } else if (kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') {
        this.queue.cancelRequeue(key);
        this.helm.uninstall(object);
      }
      return;
    }
    const annotations = object.metadata.annotations ?? {};
    const trigger = [
      object.metadata.generation,
      requestedAt(object),
      annotations['reconcile.fluxcd.io/resetAt'],
      annotations['reconcile.fluxcd.io/forceAt'],
    ].join('|');
    if (kind === 'GitRepository' && group === 'source.toolkit.fluxcd.io') {
      if (this.changed(key, trigger)) this.enqueueSource(ref);
      const revision = statusOf(object).artifact?.revision;
      if (this.changed(`${key}#artifact`, String(revision)))
        this.enqueueConsumers(object);
    } else if (
      kind === 'Kustomization' &&
      group === 'kustomize.toolkit.fluxcd.io'
    ) {
      if (this.changed(key, trigger)) this.enqueueKustomization(ref);
    } else if (kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') {
      if (this.changed(key, trigger)) this.enqueueHelmRelease(ref);
    }
  }

  /** Records `fingerprint` for `key`; true when it differs from the last one. */
  private changed(key: string, fingerprint: string): boolean {
    if (this.seen.get(key) === fingerprint) return false;
    this.seen.set(key, fingerprint);
    return true;
  }

  private forget(key: string): void {
    this.seen.delete(key);
    this.seen.delete(`${key}#artifact`);
  }

  private enqueueSource(ref: ObjectRef): void {
    this.queue.enqueue(
      `GitRepository/${ref.namespace}/${ref.name}`,
      async () => {
        const object = this.store.get(ref);
        if (!object || (object.spec as any)?.suspend) return;
        if (
          !this.sources.isOutdated(object, await this.sources.observe(object))
        )
          return;
        // The time a clone and the artifact take.
        if (!(await this.queue.sleep(this.timing.sourceMs))) return;
        const current = this.store.get(ref);
        if (current)
          this.sources.publish(current, await this.sources.observe(current));
      },
    );
  }

  /** Kustomizations reading `source`, after its artifact changed. */
  private enqueueConsumers(source: KubeObject): void {
    const { items } = this.store.list(KUSTOMIZATION_API, 'Kustomization');
    for (const object of items) {
      const ref = sourceRefOf(object);
      if (
        ref.kind === source.kind &&
        ref.name === source.metadata.name &&
        ref.namespace === source.metadata.namespace
      ) {
        this.enqueueKustomization(refOf(object));
      }
    }
  }

  private enqueueKustomization(ref: ObjectRef): void {
    const key = `Kustomization/${ref.namespace}/${ref.name}`;
    const task = async () => {
      const requeue = await this.kustomize.reconcile(ref);
      if (requeue !== undefined) this.queue.requeueAfter(key, requeue, task);
    };
    this.queue.enqueue(key, task);
  }

  private enqueueHelmRelease(ref: ObjectRef): void {
    const key = `HelmRelease/${ref.namespace}/${ref.name}`;
    const task = async () => {
      const retry = await this.helm.reconcile(ref);
      if (retry !== undefined) {
        this.queue.requeueAfter(key, retry, task, { pending: true });
      }
    };
    this.queue.enqueue(key, task);
  }
}
