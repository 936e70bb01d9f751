import { posix } from 'path';
import YAML from 'yaml';
import { KubeObject } from './ClusterStore';
import { GitTreeReader } from './GitTreeReader';

/** Why a build failed, with the Ready reason Flux gives it. */
export class FluxBuildError extends Error {
  constructor(
    readonly reason: 'ArtifactFailed' | 'BuildFailed',
    message: string,
  ) {
    super(message);
    this.name = 'FluxBuildError';
  }
}

const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/**
 * Kinds without a namespace, so `namespace:`/`targetNamespace` leave them
 * alone (kustomize asks the schema; the simulator knows these).
 */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
]);

/**
 * What `kustomize build` makes of `path` at `commit` of a bare repository,
 * for the subset Fleet Portal writes: a `kustomization.yaml` listing files
 * and folders in `resources:` (with an optional `namespace:`), or, as Flux
 * generates one when it is absent, every YAML manifest under the folder.
 */
export async function buildKustomization(options: {
  gitdir: string;
  commit: string;
  path: string | undefined;
  targetNamespace?: string;
}): Promise<KubeObject[]> {
  const reader = new GitTreeReader(options.gitdir, options.commit);
  // Flux joins the path securely: it can never leave the artifact.
  const root = posix
    .normalize(`/${options.path ?? ''}`)
    .replace(/^\/+|\/+$/g, '');
  if ((await reader.entries(root)) === undefined) {
    throw new FluxBuildError(
      'ArtifactFailed',
      `kustomization path not found: stat ${
        options.path ?? './'
      }: no such file or directory`,
    );
  }
  let objects: KubeObject[];
  try {
    objects = await buildFolder(reader, root, options.targetNamespace);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FluxBuildError(
      'BuildFailed',
      `kustomize build failed: ${message}`,
    );
  }
  const seen = new Set<string>();
  for (const object of objects) {
    const id = `${object.apiVersion}/${object.kind}/${
      object.metadata.namespace ?? ''
    }/${object.metadata.name}`;
    if (seen.has(id)) {
      throw new FluxBuildError(
        'BuildFailed',
        `kustomize build failed: may not add resource with an already registered id: ${
          object.kind
        }.${object.apiVersion}/${object.metadata.name}.${
          object.metadata.namespace ?? '[noNs]'
        }`,
      );
    }
    seen.add(id);
  }
  return objects;
}

async function buildFolder(
  reader: GitTreeReader,
  dir: string,
  namespace: string | undefined,
): Promise<KubeObject[]> {
  const entries = (await reader.entries(dir)) ?? [];
  const file = entries.find(
    e => e.type === 'blob' && KUSTOMIZATION_FILES.includes(e.path),
  );
  if (!file) {
    return setNamespace(await generatedResources(reader, dir), namespace);
  }
  const kustomization =
    YAML.parse(await reader.text(join(dir, file.path))) ?? {};
  const resources: unknown[] = kustomization.resources ?? [];
  const objects: KubeObject[] = [];
  for (const resource of resources) {
    if (
      typeof resource !== 'string' ||
      /^[a-z]+:\/\/|^github\.com\//.test(resource)
    ) {
      throw new Error(
        `accumulating resources: '${resource}' is not a file or folder in the artifact`,
      );
    }
    const target = join(dir, resource);
    if (target.startsWith('../') || target === '..') {
      throw new Error(
        `accumulating resources: '${resource}' is outside the artifact`,
      );
    }
    const type = await reader.typeOf(target);
    if (type === 'tree') {
      if (
        !(await reader.entries(target))?.some(e =>
          KUSTOMIZATION_FILES.includes(e.path),
        )
      ) {
        throw new Error(
          `accumulating resources from '${resource}': unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${target}'`,
        );
      }
      objects.push(...(await buildFolder(reader, target, undefined)));
    } else if (type === 'blob') {
      objects.push(...parseManifests(await reader.text(target), target, true));
    } else {
      throw new Error(
        `accumulating resources from '${resource}': no such file or directory`,
      );
    }
  }
  const own =
    typeof kustomization.namespace === 'string'
      ? kustomization.namespace
      : undefined;
  return setNamespace(setNamespace(objects, own), namespace);
}

/** Flux's generated kustomization: every manifest below `dir`. */
async function generatedResources(
  reader: GitTreeReader,
  dir: string,
): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  for (const entry of (await reader.entries(dir)) ?? []) {
    const target = join(dir, entry.path);
    if (entry.type === 'tree') {
      objects.push(...(await buildFolder(reader, target, undefined)));
    } else if (entry.type === 'blob' && /\.ya?ml$/.test(entry.path)) {
      objects.push(...parseManifests(await reader.text(target), target, false));
    }
  }
  return objects;
}

function parseManifests(
  text: string,
  file: string,
  strict: boolean,
): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of YAML.parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(
        `MalformedYAMLError: ${document.errors[0].message} in File: ${file}`,
      );
    }
    const value = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const object = value as KubeObject;
    if (!object.apiVersion || !object.kind || !object.metadata?.name) {
      // A generated kustomization skips files that are not manifests.
      if (!strict && !object.apiVersion && !object.kind) continue;
      throw new Error(
        `failed to decode Kubernetes apiVersion, kind and name from: ${JSON.stringify(
          value,
        )}`,
      );
    }
    objects.push(object);
  }
  return objects;
}

function setNamespace(
  objects: KubeObject[],
  namespace: string | undefined,
): KubeObject[] {
  if (!namespace) return objects;
  return objects.map(object =>
    CLUSTER_SCOPED_KINDS.has(object.kind)
      ? object
      : { ...object, metadata: { ...object.metadata, namespace } },
  );
}

function join(dir: string, file: string): string {
  return posix.normalize(posix.join(dir || '.', file)).replace(/\/+$/, '');
}
