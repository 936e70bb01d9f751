import { InputError } from '@backstage/errors';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  productionGlobex,
  stagingAcme,
  testGitopsConfig,
} from './__fixtures__/gitopsFixtures';
import { RenderableAccount } from './fluxObjects';
import { GitopsConfig } from './gitopsConfig';
import {
  renderAccountFolder,
  RenderAccountFolderInput,
  RenderedFolder,
} from './renderAccountFolder';
import { RenderValidationError } from './RenderValidationError';
import { parseYamlDocument } from './yamlDocument';

// Checked-in expected output. After an intended change of the rendering, run
// the tests once with UPDATE_GOLDEN=1 and review the diff of these files.
const GOLDEN = join(__dirname, '__fixtures__', 'golden');

const cases: Array<{ dir: string; input: RenderAccountFolderInput }> = [
  {
    dir: 'staging-acme',
    input: { account: stagingAcme(), current: new Map() },
  },
  {
    dir: 'production-globex',
    input: {
      account: productionGlobex(),
      current: new Map(),
      pins: { backend: '1.4.3' },
    },
  },
];

function asCurrent(folder: RenderedFolder): Map<string, string> {
  return new Map(folder.files.map(f => [f.name, f.content]));
}

function fileOf(folder: RenderedFolder, name: string): string {
  const file = folder.files.find(f => f.name === name);
  if (!file) throw new Error(`no ${name} in ${folder.folder}`);
  return file.content;
}

function helmReleaseOf(folder: RenderedFolder, service: string): any {
  return parseYamlDocument(fileOf(folder, `helmrelease-${service}.yaml`));
}

function render(
  account: RenderableAccount,
  extra: Partial<RenderAccountFolderInput> = {},
  config: GitopsConfig = testGitopsConfig(),
) {
  return renderAccountFolder({ account, current: new Map(), ...extra }, config);
}

describe('renderAccountFolder', () => {
  describe.each(cases)('golden files of $dir', ({ dir, input }) => {
    const folder = join(GOLDEN, dir);

    it('match the rendered folder byte for byte', () => {
      const rendered = renderAccountFolder(input, testGitopsConfig());
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(folder, { recursive: true });
        for (const file of rendered.files) {
          writeFileSync(join(folder, file.name), file.content);
        }
      }
      expect(rendered.files.map(f => f.name)).toEqual(
        readdirSync(folder).sort(),
      );
      for (const file of rendered.files) {
        expect(file.content).toBe(
          readFileSync(join(folder, file.name), 'utf8'),
        );
      }
    });

    it('are byte-identical on a second render and on a re-render over them', () => {
      const first = renderAccountFolder(input, testGitopsConfig());
      const again = renderAccountFolder(input, testGitopsConfig());
      expect(again).toEqual(first);
      const reRendered = renderAccountFolder(
        { ...input, pins: undefined, current: asCurrent(first) },
        testGitopsConfig(),
      );
      expect(reRendered).toEqual(first);
    });
  });

  it('places the folder under the environment prefix and sorts the files', () => {
    const folder = render(stagingAcme());
    expect(folder.folder).toBe('k8s/flux/staging/acme');
    expect(folder.files.map(f => f.name)).toEqual([
      'account-config.yaml',
      'alert.yaml',
      'helmrelease-admin.yaml',
      'helmrelease-backend.yaml',
      'helmrelease-engine.yaml',
      'kustomization.yaml',
      'provider.yaml',
    ]);
    expect(parseYamlDocument(fileOf(folder, 'kustomization.yaml'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: folder.files
        .map(f => f.name)
        .filter(n => n !== 'kustomization.yaml'),
    });
  });

  it('keeps a staging tag written by Flux image automation', () => {
    const first = render(stagingAcme());
    // What the image automation controller commits: only the tag changes.
    const automated = fileOf(first, 'helmrelease-backend.yaml').replace(
      'tag: main-3f9c2a1-1763800000 #',
      'tag: main-77aa0c2-1763899999 #',
    );
    expect(automated).not.toBe(fileOf(first, 'helmrelease-backend.yaml'));
    const current = asCurrent(first).set('helmrelease-backend.yaml', automated);

    const again = render(stagingAcme(), { current });

    expect(fileOf(again, 'helmrelease-backend.yaml')).toBe(automated);
    expect(again).toEqual({
      ...first,
      files: first.files.map(f =>
        f.name === 'helmrelease-backend.yaml'
          ? { ...f, content: automated }
          : f,
      ),
    });
  });

  it('marks the tag for image automation in staging, not in production', () => {
    const staging = fileOf(render(stagingAcme()), 'helmrelease-engine.yaml');
    expect(staging).toContain(
      '    tag: main-8d1e0b7-1763790000 # {"$imagepolicy": "flux-system:engine-staging:tag"}\n',
    );
    const production = fileOf(
      render(productionGlobex()),
      'helmrelease-admin.yaml',
    );
    expect(production).toContain('    tag: 1.4.2\n');
    expect(production).not.toContain('$imagepolicy');
  });

  it('takes a pin over the committed tag, and the committed tag over the configured one', () => {
    const deployed = render(productionGlobex(), { pins: { admin: '1.5.0' } });
    expect(helmReleaseOf(deployed, 'admin').spec.values.image.tag).toBe(
      '1.5.0',
    );

    const kept = render(productionGlobex(), { current: asCurrent(deployed) });
    expect(helmReleaseOf(kept, 'admin').spec.values.image.tag).toBe('1.5.0');
    expect(kept).toEqual(deployed);

    const pinned = render(productionGlobex(), {
      current: asCurrent(deployed),
      pins: { admin: '1.5.1' },
    });
    expect(helmReleaseOf(pinned, 'admin').spec.values.image.tag).toBe('1.5.1');

    const fresh = render(productionGlobex());
    expect(helmReleaseOf(fresh, 'admin').spec.values.image.tag).toBe('1.4.2');
  });

  it('refuses a service without any image tag, naming it', () => {
    const config = testGitopsConfig();
    delete config.services[0].environments!.production.imageTag;
    expect(() => render(productionGlobex(), {}, config)).toThrow(
      /helmrelease-admin\.yaml: HelmRelease globex\/admin: spec\.values\.image\.tag: no image tag for service 'admin' in environment 'production'/,
    );
  });

  it('does not fall back to the configured tag when the committed file is unreadable', () => {
    const current = new Map([['helmrelease-admin.yaml', 'spec: [unclosed\n']]);
    expect(() => render(productionGlobex(), { current })).toThrow(
      /helmrelease-admin\.yaml: HelmRelease globex\/admin: cannot read the committed file/,
    );
    const notATag = new Map([
      [
        'helmrelease-admin.yaml',
        'spec:\n  values:\n    image:\n      tag: "1.4.2 # injected"\n',
      ],
    ]);
    expect(() => render(productionGlobex(), { current: notATag })).toThrow(
      /is not an image tag/,
    );
  });

  it('suspends the HelmReleases of an inactive account', () => {
    const inactive = render(stagingAcme({ active: false }));
    for (const service of ['admin', 'backend', 'engine']) {
      expect(helmReleaseOf(inactive, service).spec.suspend).toBe(true);
    }
    const active = render(stagingAcme());
    expect(helmReleaseOf(active, 'admin').spec).not.toHaveProperty('suspend');
    expect(
      parseYamlDocument(fileOf(inactive, 'account-config.yaml')),
    ).toMatchObject({ data: { active: 'false' } });
  });

  it('merges values: service, then environment, then account; arrays replace', () => {
    const values = helmReleaseOf(render(productionGlobex()), 'backend').spec
      .values;
    expect(values).toEqual({
      env: { LOG_LEVEL: 'info' },
      image: {
        repository: 'europe-docker.pkg.dev/acme-saas/images/backend',
        tag: '1.4.2',
      },
      replicas: 4,
      resources: {
        limits: { memory: '2Gi' },
        requests: { cpu: '250m', memory: '512Mi' },
      },
      tolerations: [],
    });
    const staging = helmReleaseOf(render(stagingAcme()), 'backend').spec.values;
    expect(staging.env).toEqual({ LOG_LEVEL: 'debug' });
    expect(staging.replicas).toBe(1);
    expect(staging.tolerations).toEqual([
      { effect: 'NoSchedule', key: 'workload', value: 'api' },
    ]);
  });

  it('does not change when only bookkeeping changes', () => {
    const base = stagingAcme();
    const withBookkeeping = (by: string, version: number) =>
      ({
        ...base,
        createdAt: '2026-01-01T00:00:00.000Z',
        createdBy: by,
        updatedAt: `2026-0${version}-01T00:00:00.000Z`,
        updatedBy: by,
        version,
      } as RenderableAccount);
    expect(render(withBookkeeping('user:default/a', 1))).toEqual(
      render(withBookkeeping('user:default/b', 7)),
    );
    const config = fileOf(
      render(withBookkeeping('user:default/a', 1)),
      'account-config.yaml',
    );
    expect(config).not.toMatch(/createdBy|updatedAt|user:default/);
  });

  it('refuses services that are not configured or listed twice, naming the entry', () => {
    const unknown = stagingAcme({
      services: [{ name: 'backend' }, { name: 'search' }],
    });
    expect(() => render(unknown)).toThrow(RenderValidationError);
    expect(() => render(unknown)).toThrow(
      "Invalid services[1].name: 'search' is not a configured service (configured: admin, backend, engine)",
    );
    const twice = stagingAcme({
      services: [{ name: 'backend' }, { name: 'backend' }],
    });
    expect(() => render(twice)).toThrow(
      /services\[1\]\.name: 'backend' is listed twice/,
    );
  });

  it('refuses pins for services the account lacks and pins that are not tags', () => {
    expect(() =>
      render(productionGlobex(), { pins: { engine: '2.2.0' } }),
    ).toThrow(/pins\.engine: the account has no service 'engine'/);
    expect(() =>
      render(productionGlobex(), { pins: { backend: '1.4.3\nkind: Secret' } }),
    ).toThrow(/pins\.backend: .* is not an image tag/);
  });

  it('references OCIRepository charts with chartRef', () => {
    const config = testGitopsConfig();
    config.services[1].chart.sourceRef = {
      kind: 'OCIRepository',
      name: 'backend-chart',
      namespace: 'flux-system',
    };
    const spec = helmReleaseOf(
      render(productionGlobex(), {}, config),
      'backend',
    ).spec;
    expect(spec.chartRef).toEqual({
      kind: 'OCIRepository',
      name: 'backend-chart',
      namespace: 'flux-system',
    });
    expect(spec).not.toHaveProperty('chart');
  });

  it('sends notifications where the environment says', () => {
    const config = testGitopsConfig();
    config.environments[1].notifications = { slackChannel: '#prod-deploys' };
    const provider = parseYamlDocument(
      fileOf(render(productionGlobex(), {}, config), 'provider.yaml'),
    );
    expect(provider).toMatchObject({
      spec: {
        type: 'slack',
        channel: '#prod-deploys',
        secretRef: { name: 'slack-webhook' },
      },
    });
  });

  it('names an unknown environment in an InputError', () => {
    expect(() => render(stagingAcme({ environment: 'qa' }))).toThrow(
      InputError,
    );
    expect(() => render(stagingAcme({ environment: 'qa' }))).toThrow(
      "Invalid environment: 'qa' has no GitOps configuration (configured: staging, production)",
    );
  });
});
