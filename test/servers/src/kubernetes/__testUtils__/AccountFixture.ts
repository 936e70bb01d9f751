import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { KubeObject, ObjectRef } from '../ClusterStore';
import { FluxOptions, FluxSimulator } from '../FluxSimulator';
import { InMemoryClusterStore } from '../InMemoryClusterStore';
import { BareRepository, createBareRepository } from './bareRepository';

/** What the portal renders for account acme in staging (accounts-backend's golden files). */
const GOLDEN = path.resolve(
  __dirname,
  '../../../../../plugins/accounts-backend/src/gitops/render/__fixtures__/golden/staging-acme',
);
export const FOLDER = 'k8s/flux/staging/acme';
export const PORTAL = 'fleet-portal';
export const HELM_RELEASE = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
};
const KUSTOMIZATION = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
};
export const ksRef: ObjectRef = {
  ...KUSTOMIZATION,
  namespace: 'acme',
  name: 'acme',
};
export const sourceRef: ObjectRef = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  namespace: 'flux-system',
  name: 'fleet-config',
};
export const hrRef = (name: string): ObjectRef => ({
  ...HELM_RELEASE,
  namespace: 'acme',
  name,
});
export const deploymentRef = (name: string): ObjectRef => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'acme',
  name,
});
export const REPOSITORY_URL = 'http://127.0.0.1:1/acme/config.git';

/**
 * One account on one simulated cluster: the config repository (a real bare
 * repository holding the account folder), the in-memory API server and the
 * simulated Flux reading both.
 */
export class AccountFixture {
  /** The files of the next commit: path → content. */
  files: Record<string, string> = { 'README.md': '# fleet config\n' };

  private constructor(
    readonly repository: BareRepository,
    readonly store: InMemoryClusterStore,
    readonly flux: FluxSimulator,
  ) {
    for (const name of fs.readdirSync(GOLDEN)) {
      this.files[`${FOLDER}/${name}`] = fs.readFileSync(
        path.join(GOLDEN, name),
        'utf8',
      );
    }
  }

  static async create(timing?: FluxOptions['timing']): Promise<AccountFixture> {
    const repository = await createBareRepository();
    const store = new InMemoryClusterStore({ name: 'staging-eu' });
    return new AccountFixture(
      repository,
      store,
      AccountFixture.flux(store, repository, timing),
    );
  }

  /** A simulator of the fixture's repository on `store`. */
  static flux(
    store: InMemoryClusterStore,
    repository: BareRepository,
    timing: FluxOptions['timing'] = {
      sourceMs: 5,
      kustomizeMs: 5,
      helmMs: 5,
      pollMs: 20,
    },
  ): FluxSimulator {
    return new FluxSimulator({
      store,
      gitRepositories: [
        {
          namespace: 'flux-system',
          name: 'fleet-config',
          url: REPOSITORY_URL,
          branch: 'main',
          path: repository.gitdir,
        },
      ],
      timing,
    });
  }

  async dispose(): Promise<void> {
    await this.flux.stop();
    this.repository.remove();
  }

  /** Commits `files` as the whole tree of main; returns the commit sha. */
  commit(message: string): Promise<string> {
    return this.repository.commit(this.files, message);
  }

  /** What the portal's provisioning applies for the account. */
  provision(spec: Record<string, unknown> = {}): void {
    this.store.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
      { fieldManager: PORTAL },
    );
    this.store.apply(
      {
        ...KUSTOMIZATION,
        metadata: { name: 'acme', namespace: 'acme' },
        spec: {
          interval: '5m',
          path: `./${FOLDER}`,
          prune: true,
          sourceRef: {
            kind: 'GitRepository',
            name: 'fleet-config',
            namespace: 'flux-system',
          },
          ...spec,
        },
      },
      { fieldManager: PORTAL },
    );
  }

  /** Commits the folder, starts Flux, provisions and waits; returns the commit sha. */
  async deployAccount(): Promise<string> {
    const sha = await this.commit('Add account acme');
    this.flux.start();
    this.provision();
    await this.flux.idle();
    return sha;
  }

  get(ref: ObjectRef): KubeObject {
    const object = this.store.get(ref);
    if (!object)
      throw new Error(`${ref.kind} ${ref.namespace}/${ref.name} is missing`);
    return object;
  }

  status(ref: ObjectRef): Record<string, any> {
    return (this.get(ref).status ?? {}) as Record<string, any>;
  }

  condition(ref: ObjectRef, type = 'Ready') {
    return this.status(ref).conditions?.find(
      (c: { type: string }) => c.type === type,
    );
  }

  /** Rewrites one YAML file of the account folder. */
  editFile(name: string, edit: (doc: any) => void): void {
    const doc = YAML.parse(this.files[`${FOLDER}/${name}`]);
    edit(doc);
    this.files[`${FOLDER}/${name}`] = YAML.stringify(doc);
  }

  setResources(resources: string[]): void {
    this.files[`${FOLDER}/kustomization.yaml`] = YAML.stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources,
    });
  }

  /** Sets annotations as `flux reconcile` does. */
  annotate(ref: ObjectRef, annotations: Record<string, string>): void {
    this.store.mergePatch(
      ref,
      { metadata: { annotations } },
      { fieldManager: 'flux-cli' },
    );
  }

  patchSpec(
    ref: ObjectRef,
    spec: Record<string, unknown>,
    fieldManager = PORTAL,
  ): void {
    this.store.mergePatch(ref, { spec }, { fieldManager });
  }
}
