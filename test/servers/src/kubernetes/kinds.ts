/**
 * A kind the simulated API server serves, with what discovery tells about
 * it and what the store needs to treat it like the real API server does.
 */
export interface ResourceKind {
  /** `''` for the core group. */
  group: string;
  version: string;
  kind: string;
  /** The resource name in URLs (`secrets`, `kustomizations`). */
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** Served under `/status`; writes to the object leave `status` alone. */
  statusSubresource: boolean;
  /**
   * Kept in `metadata.generation` (Deployments and custom resources; Kubernetes
   * does not set it on Namespaces, Secrets or ConfigMaps).
   */
  generation: boolean;
  /** Defined by a Flux CRD, validated against its `openAPIV3Schema`. */
  crd: boolean;
  /** Top-level fields besides apiVersion, kind and metadata (built-in kinds). */
  fields?: string[];
}

function builtIn(
  kind: Omit<ResourceKind, 'crd' | 'singular' | 'shortNames'> & {
    shortNames?: string[];
  },
): ResourceKind {
  return {
    ...kind,
    crd: false,
    singular: kind.kind.toLowerCase(),
    shortNames: kind.shortNames ?? [],
  };
}

function flux(
  group: string,
  version: string,
  kind: string,
  plural: string,
  statusSubresource: boolean,
): ResourceKind {
  return {
    group: `${group}.toolkit.fluxcd.io`,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    shortNames: [],
    namespaced: true,
    statusSubresource,
    generation: true,
    crd: true,
  };
}

/**
 * Every kind served. Flux versions, plurals, scopes and status subresources
 * are those of the CRDs in `plugins/accounts-backend/flux-crds/` (a test
 * checks the table against them).
 */
export const servedKinds: readonly ResourceKind[] = [
  builtIn({
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    shortNames: ['ns'],
    namespaced: false,
    statusSubresource: true,
    generation: false,
    fields: ['spec', 'status'],
  }),
  builtIn({
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    statusSubresource: false,
    generation: false,
    fields: ['data', 'stringData', 'type', 'immutable'],
  }),
  builtIn({
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    shortNames: ['cm'],
    namespaced: true,
    statusSubresource: false,
    generation: false,
    fields: ['data', 'binaryData', 'immutable'],
  }),
  builtIn({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    shortNames: ['deploy'],
    namespaced: true,
    statusSubresource: true,
    generation: true,
    fields: ['spec', 'status'],
  }),
  flux('source', 'v1', 'GitRepository', 'gitrepositories', true),
  flux('kustomize', 'v1', 'Kustomization', 'kustomizations', true),
  flux('helm', 'v2', 'HelmRelease', 'helmreleases', true),
  flux('image', 'v1', 'ImagePolicy', 'imagepolicies', true),
  flux('notification', 'v1beta3', 'Alert', 'alerts', false),
  flux('notification', 'v1beta3', 'Provider', 'providers', false),
];

/** `v1` or `group/version`. */
export function apiVersionOf(kind: ResourceKind): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/** Splits `group/version` (`v1` is the core group). */
export function parseApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : {
        group: apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
      };
}

/** The served kind for an apiVersion and kind, or `undefined`. */
export function findKind(
  apiVersion: string,
  kind: string,
): ResourceKind | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  return servedKinds.find(
    k => k.group === group && k.version === version && k.kind === kind,
  );
}

/** The served kind behind a URL's group, version and resource name. */
export function findKindByPlural(
  group: string,
  version: string,
  plural: string,
): ResourceKind | undefined {
  return servedKinds.find(
    k => k.group === group && k.version === version && k.plural === plural,
  );
}

/**
 * How the API server names a resource in messages: `secrets` for the core
 * group, `kustomizations.kustomize.toolkit.fluxcd.io` otherwise.
 */
export function qualifiedResource(kind: ResourceKind): string {
  return kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
}

/** How the API server names a kind in `Invalid` messages (`Kind.group`). */
export function qualifiedKind(kind: ResourceKind): string {
  return kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
}
