import {
  BareRepository,
  createBareRepository,
} from './__testUtils__/bareRepository';
import { buildKustomization, FluxBuildError } from './fluxBuild';

// What the simulated kustomize-controller builds from a folder of a real
// bare repository.

const configMap = (name: string, namespace?: string) =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'data:',
    `  value: "\${{ not interpreted }}"`,
    '',
  ].join('\n');

let repository: BareRepository;

beforeEach(async () => {
  repository = await createBareRepository();
});
afterEach(() => repository.remove());

async function build(
  files: Record<string, string>,
  path: string | undefined,
  targetNamespace?: string,
) {
  const commit = await repository.commit(files, 'Test');
  return buildKustomization({
    gitdir: repository.gitdir,
    commit,
    path,
    targetNamespace,
  });
}

function ids(objects: Array<{ kind: string; metadata: any }>) {
  return objects
    .map(o => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)
    .sort();
}

async function buildError(promise: Promise<unknown>): Promise<FluxBuildError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(FluxBuildError);
  return error;
}

describe('buildKustomization', () => {
  it('follows resources: files and folders, with namespace and targetNamespace', async () => {
    const objects = await build(
      {
        'apps/kustomization.yaml':
          'resources:\n  - a.yaml\n  - ./base\nnamespace: team\n',
        'apps/a.yaml': `${configMap('a')}---\n${configMap('b', 'other')}---\n`,
        'apps/base/kustomization.yaml': 'resources: [ns.yaml, c.yaml]\n',
        'apps/base/ns.yaml':
          'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n',
        'apps/base/c.yaml': configMap('c'),
        'apps/ignored.yaml': configMap('ignored'),
      },
      './apps',
    );
    expect(ids(objects)).toEqual([
      'ConfigMap/team/a',
      'ConfigMap/team/b',
      'ConfigMap/team/c',
      'Namespace//team',
    ]);
    expect(objects[0].data).toEqual({ value: '${{ not interpreted }}' });

    const retargeted = await build(
      {
        'apps/kustomization.yaml': 'resources: [a.yaml]\nnamespace: team\n',
        'apps/a.yaml': configMap('a'),
      },
      'apps',
      'preview',
    );
    expect(ids(retargeted)).toEqual(['ConfigMap/preview/a']);
  });

  it('takes every manifest below the folder when it has no kustomization.yaml', async () => {
    const objects = await build(
      {
        'plain/one.yaml': configMap('one', 'x'),
        'plain/deeper/two.yml': configMap('two', 'x'),
        'plain/values.yaml': 'replicas: 3\n',
        'plain/README.md': '# not a manifest\n',
        'elsewhere.yaml': configMap('elsewhere', 'x'),
      },
      'plain',
    );
    expect(ids(objects)).toEqual(['ConfigMap/x/one', 'ConfigMap/x/two']);
  });

  it('keeps the path inside the artifact', async () => {
    const objects = await build(
      { 'a.yaml': configMap('root', 'x') },
      '../../../..',
    );
    expect(ids(objects)).toEqual(['ConfigMap/x/root']);
  });

  it('fails like kustomize-controller on missing paths, files and names, and on duplicates', async () => {
    const missingPath = await buildError(
      build({ 'a.yaml': configMap('a') }, './nowhere'),
    );
    expect(missingPath.reason).toBe('ArtifactFailed');
    expect(missingPath.message).toBe(
      'kustomization path not found: stat ./nowhere: no such file or directory',
    );

    const missingFile = await buildError(
      build({ 'k/kustomization.yaml': 'resources: [gone.yaml]\n' }, 'k'),
    );
    expect(missingFile.reason).toBe('BuildFailed');
    expect(missingFile.message).toContain(
      "accumulating resources from 'gone.yaml': no such file or directory",
    );

    const unnamed = await buildError(
      build(
        {
          'k/kustomization.yaml': 'resources: [a.yaml]\n',
          'k/a.yaml': 'apiVersion: v1\nkind: ConfigMap\n',
        },
        'k',
      ),
    );
    expect(unnamed.message).toContain(
      'failed to decode Kubernetes apiVersion, kind and name from',
    );

    const duplicate = await buildError(
      build(
        {
          'k/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
          'k/a.yaml': configMap('same', 'x'),
          'k/b.yaml': configMap('same', 'x'),
        },
        'k',
      ),
    );
    expect(duplicate.message).toContain(
      'may not add resource with an already registered id',
    );

    const malformed = await buildError(
      build(
        {
          'k/kustomization.yaml': 'resources: [a.yaml]\n',
          'k/a.yaml': 'apiVersion: v1\nkind: [unclosed\n',
        },
        'k',
      ),
    );
    expect(malformed.message).toMatch(
      /^kustomize build failed: MalformedYAMLError/,
    );
  });
});
