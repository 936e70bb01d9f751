import { KubernetesTestServer } from '@fleet-portal/test-servers';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  CLUSTER_TOKEN,
  clusterAppConfig,
  collectingLogger,
  registryAccount,
} from '../../__testUtils__/clusters';
import { KubernetesClusters } from '../KubernetesClusters';
import { AccountProvisioner } from './AccountProvisioner';

// Provisioning with the real @kubernetes/client-node against the local
// Kubernetes API simulator (server-side apply with managed fields).

const CLUSTER = 'staging-eu';
const SENTINEL = 'sentinel-6f1c0d';
const SENTINEL_BASE64 = Buffer.from(SENTINEL).toString('base64');

let server: KubernetesTestServer;
let dir: string;
beforeEach(async () => {
  server = await KubernetesTestServer.start({
    clusters: [{ name: CLUSTER, token: CLUSTER_TOKEN }],
  });
  dir = mkdtempSync(join(tmpdir(), 'provisioning-'));
  writeFileSync(join(dir, 'token'), 'file-token\n');
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function setup(flux: Record<string, unknown> = {}, tokenFile?: string) {
  const { logger, logged } = collectingLogger();
  const config = clusterAppConfig({
    url: server.clusterUrl(CLUSTER),
    accounts: {
      provisioning: {
        flux: { sourceRef: { name: 'fleet-config' }, ...flux },
        labels: { 'example.com/tier': 'gold' },
        secrets: [
          {
            name: 'slack-webhook',
            data: {
              address: { value: SENTINEL },
              token: { file: tokenFile ?? join(dir, 'token') },
            },
          },
        ],
      },
    },
  });
  const clusters = KubernetesClusters.fromConfig(config, { logger });
  const provisioner = AccountProvisioner.fromConfig(config, {
    clusters,
    logger,
  });
  return { provisioner, logged };
}

const account = registryAccount('acme');
const refs = {
  namespace: { apiVersion: 'v1', kind: 'Namespace', name: 'acme' },
  secret: {
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: 'acme',
    name: 'slack-webhook',
  },
  kustomization: {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    namespace: 'acme',
    name: 'acme',
  },
};

function stored(ref: (typeof refs)[keyof typeof refs]) {
  return server.store(CLUSTER).get(ref);
}

function versions() {
  return Object.values(refs).map(ref => stored(ref)?.metadata.resourceVersion);
}

describe('AccountProvisioner', () => {
  it('creates the namespace, secrets and Kustomization, then changes nothing on a second run', async () => {
    const { provisioner, logged } = setup();
    const first = await provisioner.provision(account);
    expect(first).toEqual({
      cluster: CLUSTER,
      namespace: 'acme',
      dryRun: false,
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          name: 'acme',
          action: 'created',
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'acme',
          name: 'slack-webhook',
          action: 'created',
          keys: ['address', 'token'],
        },
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          namespace: 'acme',
          name: 'acme',
          action: 'created',
        },
      ],
    });
    expect(stored(refs.namespace)?.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'fleet-portal',
      'fleet-portal.io/account': 'acme',
      'fleet-portal.io/environment': 'staging',
      'example.com/tier': 'gold',
    });
    expect(stored(refs.secret)?.data).toEqual({
      address: SENTINEL_BASE64,
      token: Buffer.from('file-token\n').toString('base64'),
    });
    // toMatchObject: the API server adds the CRD's defaults (force: false).
    expect(stored(refs.kustomization)?.spec).toMatchObject({
      interval: '5m',
      path: './k8s/flux/staging/acme',
      prune: true,
      sourceRef: {
        kind: 'GitRepository',
        name: 'fleet-config',
        namespace: 'flux-system',
      },
    });
    expect(
      stored(refs.kustomization)?.metadata.managedFields?.map(m => [
        m.manager,
        m.operation,
      ]),
    ).toEqual([['fleet-portal', 'Apply']]);

    const before = versions();
    const storeVersion = server.store(CLUSTER).resourceVersion;
    const second = await provisioner.provision(account);
    expect(second.objects.map(o => o.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(versions()).toEqual(before);
    expect(server.store(CLUSTER).resourceVersion).toBe(storeVersion);

    // The secret value reached the cluster and nowhere else.
    const elsewhere = `${JSON.stringify([first, second])}${logged()}`;
    expect(elsewhere).not.toContain(SENTINEL);
    expect(elsewhere).not.toContain(SENTINEL_BASE64);
    expect(logged()).toContain('Namespace acme created');
    const patches = server.requests.filter(r => r.method === 'PATCH');
    expect(patches).toHaveLength(6);
    expect(patches.every(r => r.query.fieldManager === 'fleet-portal')).toBe(
      true,
    );
    expect(patches.some(r => r.query.force === 'true')).toBe(false);
  });

  it('reports a changed Kustomization as configured', async () => {
    await setup().provisioner.provision(account);
    const [namespace, secret] = versions();
    const result = await setup({ interval: '10m' }).provisioner.provision(
      account,
    );
    expect(result.objects.map(o => o.action)).toEqual([
      'unchanged',
      'unchanged',
      'configured',
    ]);
    expect(versions().slice(0, 2)).toEqual([namespace, secret]);
    expect((stored(refs.kustomization)?.spec as any).interval).toBe('10m');
  });

  it('never takes a field another manager owns: ConflictError naming the field and manager', async () => {
    const store = server.store(CLUSTER);
    store.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
      { fieldManager: 'kubectl-edit' },
    );
    store.apply(
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'acme', namespace: 'acme' },
        spec: {
          interval: '1m',
          path: './k8s/flux/staging/acme',
          prune: true,
          sourceRef: {
            kind: 'GitRepository',
            name: 'fleet-config',
            namespace: 'flux-system',
          },
        },
      },
      { fieldManager: 'kubectl-edit' },
    );
    const before = stored(refs.kustomization);
    const { provisioner, logged } = setup();
    let error: Error | undefined;
    try {
      await provisioner.provision(account);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('ConflictError');
    expect(error?.message).toBe(
      "Cannot apply Kustomization acme/acme on cluster 'staging-eu': .spec.interval (managed by 'kubectl-edit') would be overwritten. Fleet Portal does not take fields from other managers; change them back or remove that manager's ownership.",
    );
    expect(stored(refs.kustomization)).toEqual(before);
    expect(`${error?.message}${error?.stack}${logged()}`).not.toContain(
      SENTINEL,
    );
  });

  it('creates nothing on a dry run, and reports what a real run would do', async () => {
    const { provisioner } = setup();
    const storeVersion = server.store(CLUSTER).resourceVersion;
    const dry = await provisioner.provision(account, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.objects.map(o => o.action)).toEqual([
      'created',
      'created',
      'created',
    ]);
    expect(Object.values(refs).map(stored)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(server.store(CLUSTER).resourceVersion).toBe(storeVersion);

    await provisioner.provision(account);
    const before = versions();
    const changed = await setup({ interval: '10m' }).provisioner.provision(
      account,
      {
        dryRun: true,
      },
    );
    expect(changed.objects.map(o => o.action)).toEqual([
      'unchanged',
      'unchanged',
      'configured',
    ]);
    expect(versions()).toEqual(before);
    expect((stored(refs.kustomization)?.spec as any).interval).toBe('5m');
    expect(
      server.requests.filter(
        r => r.method === 'PATCH' && r.query.dryRun === 'All',
      ),
    ).toHaveLength(4);
    expect(JSON.stringify(changed)).not.toContain(SENTINEL);
  });

  it('applies nothing when a secret file cannot be read, naming the secret and key', async () => {
    const { provisioner, logged } = setup({}, join(dir, 'missing'));
    let error: Error | undefined;
    try {
      await provisioner.provision(account);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toBe(
      `Secret slack-webhook key token: cannot read ${join(
        dir,
        'missing',
      )} (ENOENT)`,
    );
    expect(stored(refs.namespace)).toBeUndefined();
    expect(`${error?.stack}${logged()}`).not.toContain(SENTINEL);
  });
});
