import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import {
  productionGlobex,
  testGitopsConfig,
} from './__fixtures__/gitopsFixtures';
import { fluxObjectKinds, validateFluxObject } from './fluxSchemas';
import { kubernetesObjectProblems } from './kubernetesRules';
import { renderAccountFolder } from './renderAccountFolder';
import { RenderValidationError } from './RenderValidationError';
import { parseYamlDocument } from './yamlDocument';

const GOLDEN = join(__dirname, '__fixtures__', 'golden');

function validHelmRelease(): any {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'backend', namespace: 'acme' },
    spec: {
      interval: '5m',
      chart: {
        spec: {
          chart: './charts/backend',
          version: '1.4.0',
          sourceRef: { kind: 'GitRepository', name: 'acme-helmcharts' },
        },
      },
      values: { anything: { goes: ['here', 1, true, null] } },
    },
  };
}

function renderError(
  mutate: (config: ReturnType<typeof testGitopsConfig>) => void,
) {
  const config = testGitopsConfig();
  mutate(config);
  try {
    renderAccountFolder(
      { account: productionGlobex(), current: new Map() },
      config,
    );
  } catch (error) {
    return error as RenderValidationError;
  }
  throw new Error('rendered without an error');
}

describe('validateFluxObject', () => {
  it('knows the newest served version of each copied CRD', () => {
    expect(fluxObjectKinds()).toEqual(
      expect.arrayContaining([
        { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease' },
        {
          apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
          kind: 'Provider',
        },
        { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Alert' },
        { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' },
        { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' },
        { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository' },
        { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository' },
        { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy' },
      ]),
    );
    expect(fluxObjectKinds()).toHaveLength(8);
  });

  it('accepts a valid HelmRelease, with any Helm values', () => {
    expect(validateFluxObject(validHelmRelease())).toEqual([]);
  });

  it('accepts every Flux object of the golden files', () => {
    let checked = 0;
    for (const dir of readdirSync(GOLDEN)) {
      for (const file of readdirSync(join(GOLDEN, dir))) {
        const object: any = parseYamlDocument(
          readFileSync(join(GOLDEN, dir, file), 'utf8'),
        );
        if (!object.apiVersion.includes('.toolkit.fluxcd.io/')) continue;
        expect({ file, problems: validateFluxObject(object) }).toEqual({
          file,
          problems: [],
        });
        expect(
          kubernetesObjectProblems(object, { namespace: dir.split('-')[1] }),
        ).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(9);
  });

  it('names the field of a wrong type, a missing field, a bad pattern and an unknown field', () => {
    const object = validHelmRelease();
    object.spec.chart.spec.version = 1.4;
    delete object.spec.chart.spec.sourceRef.kind;
    object.spec.interval = '5 minutes';
    object.spec.chart.spec.sourceref = { kind: 'GitRepository' };
    expect(validateFluxObject(object)).toEqual(
      expect.arrayContaining([
        'spec.chart.spec.version: must be string',
        'spec.chart.spec.sourceRef.kind: is required',
        'spec.interval: must match pattern "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"',
        'spec.chart.spec.sourceref: is not a field of this kind',
      ]),
    );
  });

  it('checks enums and the Kubernetes formats of served objects', () => {
    const object = validHelmRelease();
    object.spec.chart.spec.sourceRef.kind = 'OCIRepository';
    object.status = {
      observedGeneration: 1.5,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message: '',
          lastTransitionTime: 'yesterday',
        },
      ],
    };
    expect(validateFluxObject(object)).toEqual(
      expect.arrayContaining([
        'spec.chart.spec.sourceRef.kind: must be one of "HelmRepository", "GitRepository", "Bucket"',
        'status.observedGeneration: must match format "int64"',
        'status.conditions[0].lastTransitionTime: must match format "date-time"',
      ]),
    );
    object.status.observedGeneration = 2;
    object.status.conditions[0].lastTransitionTime = '2026-11-22T16:09:00Z';
    object.spec.chart.spec.sourceRef.kind = 'HelmRepository';
    expect(validateFluxObject(object)).toEqual([]);
  });

  it('refuses kinds and versions no copied CRD serves', () => {
    expect(
      validateFluxObject({
        ...validHelmRelease(),
        apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
      }),
    ).toEqual([
      'apiVersion: no Flux CRD serves kind HelmRelease in helm.toolkit.fluxcd.io/v2beta1',
    ]);
    expect(validateFluxObject('kind: HelmRelease')).toEqual([
      '(object): must be an object',
    ]);
  });
});

describe('rendering refuses a broken HelmRelease', () => {
  it('with a chart version that is a number, naming file, object and field', () => {
    const error = renderError(config => {
      (config.services[1].chart as any).version = 1.4;
    });
    expect(error).toBeInstanceOf(RenderValidationError);
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      'helmrelease-backend.yaml: HelmRelease globex/backend: spec.chart.spec.version: must be string',
    );
    expect(error).toMatchObject({
      file: 'helmrelease-backend.yaml',
      object: 'HelmRelease globex/backend',
      problems: ['spec.chart.spec.version: must be string'],
    });
  });

  it('with a source kind missing from the service config', () => {
    const error = renderError(config => {
      delete (config.services[0].chart.sourceRef as any).kind;
    });
    expect(error.message).toBe(
      'helmrelease-admin.yaml: HelmRelease globex/admin: spec.chart.spec.sourceRef.kind: is required',
    );
  });

  it('with an invalid interval, in every HelmRelease', () => {
    const error = renderError(config => {
      config.interval = '5 minutes';
    });
    expect(error.message).toMatch(
      /^helmrelease-admin\.yaml: HelmRelease globex\/admin: spec\.interval: must match pattern/,
    );
  });

  it('with a name Helm cannot use as a release name', () => {
    const long = 'a'.repeat(54);
    const config = testGitopsConfig();
    config.services[0].name = long;
    expect(() =>
      renderAccountFolder(
        {
          account: productionGlobex({ services: [{ name: long }] }),
          current: new Map(),
        },
        config,
      ),
    ).toThrow(
      `helmrelease-${long}.yaml: HelmRelease globex/${long}: metadata.name: must be at most 53 characters (Helm's limit); spec.releaseName: the release name '${long}' must be a DNS-1123 subdomain of at most 53 characters`,
    );
  });
});

describe('kubernetesObjectProblems', () => {
  const configMap = (data: Record<string, unknown>, labels = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'account-config', namespace: 'acme', labels },
    data,
  });

  it('accepts a valid object and checks the namespace it must be in', () => {
    expect(
      kubernetesObjectProblems(configMap({ a: 'b' }), { namespace: 'acme' }),
    ).toEqual([]);
    expect(
      kubernetesObjectProblems(configMap({}), { namespace: 'globex' }),
    ).toEqual(["metadata.namespace: must be 'globex'"]);
  });

  it('names bad ConfigMap keys and values, label keys and values', () => {
    expect(
      kubernetesObjectProblems(
        configMap(
          { 'a/b': 'x', ok: 1 },
          { 'Bad Key': 'v', good: 'not valid!' },
        ),
      ),
    ).toEqual([
      'metadata.labels["Bad Key"]: key must be at most 63 letters, digits, -, _ or . between alphanumerics',
      'metadata.labels.good: value must be a label value (at most 63 letters, digits, -, _ or .)',
      'data["a/b"]: key must be at most 253 of -, ., _, letters and digits',
      'data.ok: must be a string',
    ]);
  });

  it('names an invalid object name and a HelmRelease with both chart and chartRef', () => {
    const release = validHelmRelease();
    release.metadata.name = 'Backend_1';
    release.spec.chartRef = { kind: 'OCIRepository', name: 'backend' };
    expect(kubernetesObjectProblems(release)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^metadata\.name: must be a DNS-1123 subdomain/),
        'spec: either chart or chartRef must be set',
      ]),
    );
  });
});
