import { ConfigReader } from '@backstage/config';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { inspect } from 'util';
import { readGitopsConfig } from '../../gitops/render/gitopsConfig';
import { validateFluxObject } from '../../gitops/render/fluxSchemas';
import { readProvisioningConfig } from './provisioningConfig';
import { buildProvisioningObjects } from './provisioningObjects';

const SENTINEL = 'sentinel-6f1c0d';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'provisioning-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(provisioning: unknown, pathPrefix?: string) {
  return new ConfigReader({
    accounts: {
      environments: [
        { name: 'staging', ...(pathPrefix && { gitops: { pathPrefix } }) },
      ],
      ...(provisioning !== undefined && { provisioning }),
    },
  });
}

const account = { name: 'acme', environment: 'staging' };

describe('readProvisioningConfig', () => {
  it('defaults to the source flux bootstrap creates, every 5 minutes', () => {
    expect(readProvisioningConfig(config(undefined))).toEqual({
      flux: {
        sourceRef: {
          kind: 'GitRepository',
          name: 'flux-system',
          namespace: 'flux-system',
        },
        interval: '5m',
      },
      labels: {},
      secrets: [],
    });
  });

  it('reads sources, labels and secrets, and never shows a secret value', () => {
    const read = readProvisioningConfig(
      config({
        flux: {
          sourceRef: { kind: 'OCIRepository', name: 'fleet-config' },
          interval: '10m',
          timeout: '3m',
        },
        labels: { 'example.com/team': 'platform', tier: 'gold' },
        secrets: [
          {
            name: 'slack-webhook',
            data: {
              address: { value: SENTINEL },
              'tls.crt': { file: '/var/run/secrets/fleet/tls.crt' },
            },
          },
        ],
      }),
    );
    expect(read.flux).toEqual({
      sourceRef: {
        kind: 'OCIRepository',
        name: 'fleet-config',
        namespace: 'flux-system',
      },
      interval: '10m',
      timeout: '3m',
    });
    expect(read.labels).toEqual({
      'example.com/team': 'platform',
      tier: 'gold',
    });
    expect(read.secrets[0].type).toBe('Opaque');
    expect(read.secrets[0].data.map(d => d.key)).toEqual([
      'address',
      'tls.crt',
    ]);
    expect(JSON.stringify(read)).not.toContain(SENTINEL);
    expect(inspect(read, { depth: 10 })).not.toContain(SENTINEL);
    expect(String(read.secrets[0].data[0].source)).not.toContain(SENTINEL);
  });

  it.each([
    [
      { flux: { interval: 'soon' } },
      "accounts.provisioning.flux.interval: 'soon' is not a duration",
    ],
    [
      { flux: { sourceRef: { kind: 'HelmRepository' } } },
      'accounts.provisioning.flux.sourceRef.kind',
    ],
    [
      { flux: { sourceRef: { namespace: 'Flux_System' } } },
      'accounts.provisioning.flux.sourceRef.namespace',
    ],
    [
      { labels: { 'bad key!': 'x' } },
      'accounts.provisioning.labels["bad key!"]: the key',
    ],
    [
      { labels: { 'fleet-portal.io/account': 'x' } },
      'accounts.provisioning.labels["fleet-portal.io/account"]: is set by provisioning itself',
    ],
    [
      { labels: { tier: 'no spaces' } },
      'accounts.provisioning.labels["tier"]: must be a label value',
    ],
    [
      { secrets: [{ name: 'Bad_Name', data: { a: { value: 'x' } } }] },
      'accounts.provisioning.secrets[0].name',
    ],
    [
      { secrets: [{ name: 's', data: {} }] },
      'accounts.provisioning.secrets[0].data: must name at least one key',
    ],
    [
      { secrets: [{ name: 's', data: { 'a b': { value: SENTINEL } } }] },
      'accounts.provisioning.secrets[0].data["a b"]: the key',
    ],
    [
      {
        secrets: [{ name: 's', data: { a: { value: SENTINEL, file: '/x' } } }],
      },
      `accounts.provisioning.secrets[0].data["a"]: must have exactly one of 'value' or 'file'`,
    ],
    [
      {
        secrets: [
          { name: 's', data: { a: { value: SENTINEL } } },
          { name: 's', data: { b: { value: SENTINEL } } },
        ],
      },
      "accounts.provisioning.secrets[1].name: 's' is configured twice",
    ],
  ])(
    'names the key of a bad value (%#), never a secret',
    (provisioning, message) => {
      let error: Error | undefined;
      try {
        readProvisioningConfig(config(provisioning));
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toContain(`Invalid config ${message}`);
      expect(error?.message).not.toContain(SENTINEL);
    },
  );
});

describe('buildProvisioningObjects', () => {
  it('builds the namespace, secrets and a valid Flux Kustomization', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'from-a-file\n');
    const appConfig = config(
      {
        flux: {
          sourceRef: { name: 'fleet-config' },
          interval: '2m',
          timeout: '3m',
        },
        labels: { tier: 'gold' },
        secrets: [
          {
            name: 'slack-webhook',
            data: { address: { value: SENTINEL }, token: { file } },
          },
          {
            name: 'registry',
            type: 'kubernetes.io/dockerconfigjson',
            data: { '.dockerconfigjson': { value: '{}' } },
          },
        ],
      },
      'clusters/staging',
    );
    const objects = await buildProvisioningObjects(account, {
      provisioning: readProvisioningConfig(appConfig),
      gitops: readGitopsConfig(appConfig),
    });
    const labels = {
      'app.kubernetes.io/managed-by': 'fleet-portal',
      'fleet-portal.io/account': 'acme',
      'fleet-portal.io/environment': 'staging',
    };
    expect(objects.namespace).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'acme', labels: { tier: 'gold', ...labels } },
    });
    expect(objects.secrets.map(s => s.keys)).toEqual([
      ['address', 'token'],
      ['.dockerconfigjson'],
    ]);
    expect(objects.secrets[0].object).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'slack-webhook', namespace: 'acme', labels },
      type: 'Opaque',
      data: {
        address: Buffer.from(SENTINEL).toString('base64'),
        token: Buffer.from('from-a-file\n').toString('base64'),
      },
    });
    expect(objects.secrets[1].object.type).toBe(
      'kubernetes.io/dockerconfigjson',
    );
    expect(objects.kustomization).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'acme', namespace: 'acme', labels },
      spec: {
        interval: '2m',
        timeout: '3m',
        path: './clusters/staging/acme',
        prune: true,
        sourceRef: {
          kind: 'GitRepository',
          name: 'fleet-config',
          namespace: 'flux-system',
        },
      },
    });
    expect(validateFluxObject(objects.kustomization)).toEqual([]);
    expect(objects.kustomization.spec).not.toHaveProperty('suspend');
  });

  it('names the secret, key and file of a file that cannot be read', async () => {
    const appConfig = config({
      secrets: [
        {
          name: 'slack-webhook',
          data: {
            address: { value: SENTINEL },
            token: { file: join(dir, 'missing') },
          },
        },
      ],
    });
    const error = await buildProvisioningObjects(account, {
      provisioning: readProvisioningConfig(appConfig),
      gitops: readGitopsConfig(appConfig),
    }).catch(e => e);
    expect(error.message).toBe(
      `Secret slack-webhook key token: cannot read ${join(
        dir,
        'missing',
      )} (ENOENT)`,
    );
    expect(error.message).not.toContain(SENTINEL);
  });

  it('refuses a Kustomization Flux would refuse, naming the field', async () => {
    const appConfig = config(undefined);
    const provisioning = readProvisioningConfig(appConfig);
    const error = await buildProvisioningObjects(account, {
      provisioning: {
        ...provisioning,
        flux: {
          ...provisioning.flux,
          sourceRef: {
            ...provisioning.flux.sourceRef,
            kind: 'HelmChart' as any,
          },
        },
      },
      gitops: readGitopsConfig(appConfig),
    }).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /^Invalid Kustomization acme\/acme: spec\.sourceRef\.kind: must be one of/,
    );
  });

  it('refuses an account of an environment without GitOps settings', async () => {
    const appConfig = config(undefined);
    await expect(
      buildProvisioningObjects(
        { name: 'acme', environment: 'production' },
        {
          provisioning: readProvisioningConfig(appConfig),
          gitops: readGitopsConfig(appConfig),
        },
      ),
    ).rejects.toThrow("Invalid environment: 'production'");
  });
});
