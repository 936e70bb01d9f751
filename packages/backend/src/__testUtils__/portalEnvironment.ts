import {
  GcsTestServer,
  KubernetesTestServer,
} from '@fleet-portal/test-servers';
import { execFileSync } from 'child_process';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { PortalProcess, freePort } from './PortalProcess';
import { ScaffolderApi } from './ScaffolderApi';

/** The cluster token of `app-config.yaml`'s simulated clusters. */
const CLUSTER_TOKEN = 'simulated-cluster-token';
const CLUSTERS = ['staging-eu', 'production-eu', 'production-us'];
const BUCKET = 'fleet-exports';

/**
 * Everything the portal's workflows touch, on this machine: the cluster
 * simulator (its Flux reading the portal's config repository), a local
 * Cloud Storage server holding accounts.json, and the portal's backend
 * process on a SQLite database in a temporary folder, which a test may kill
 * and start again. `secret` is the value of the account Secret that
 * provisioning writes: it must reach the cluster and nothing else.
 */
export async function startPortalEnvironment(options: { secret: string }) {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-portal-e2e-'));
  const configRepo = join(dir, 'config-repo.git');
  const simulator = await KubernetesTestServer.start({
    clusters: CLUSTERS.map(name => ({ name, token: CLUSTER_TOKEN })),
    flux: {
      gitRepositories: [
        {
          namespace: 'flux-system',
          name: 'fleet-config',
          url: 'https://github.com/acme/fleet-config',
          branch: 'main',
          path: configRepo,
        },
      ],
      timing: { sourceMs: 50, kustomizeMs: 50, helmMs: 100, pollMs: 100 },
    },
  });
  const gcs = await GcsTestServer.start({ buckets: [BUCKET] });
  const port = await freePort();
  const config = {
    // Every plugin's SQLite file in the test's folder, kept across restarts.
    backend: {
      database: {
        client: 'better-sqlite3',
        connection: { directory: join(dir, 'sqlite') },
      },
    },
    accounts: {
      demoData: false,
      // accounts.json goes to the local Cloud Storage server instead.
      export: {
        folder: null,
        gcs: { bucket: BUCKET, apiEndpoint: gcs.url, anonymous: true },
      },
      gitops: { repository: { local: { path: configRepo } } },
      provisioning: {
        secrets: [
          {
            name: 'slack-webhook',
            data: { address: { value: options.secret } },
          },
        ],
      },
      workflows: { readyTimeoutSeconds: 60, pollIntervalSeconds: 0.2 },
    },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: CLUSTERS.map(name => ({
            name,
            url: simulator.clusterUrl(name),
            authProvider: 'serviceAccount',
            serviceAccountToken: CLUSTER_TOKEN,
          })),
        },
      ],
    },
    // A task whose backend died is taken up again after 2 s, not 30.
    scaffolder: { taskRecovery: { staleTimeout: { seconds: 2 } } },
  };
  const start = () => PortalProcess.start({ dir, port, config });
  let portal = await start();
  const api = await ScaffolderApi.signIn(portal.baseUrl);

  return {
    simulator,
    api,
    get portal() {
      return portal;
    },
    /** Kills the backend outright and starts a new one on the same data. */
    async restart(between?: () => Promise<void> | void) {
      await portal.kill();
      await between?.();
      portal = await start();
    },
    /** A HelmRelease of the account on staging-eu, as the cluster holds it. */
    helmRelease(account: string, name: string): any {
      return simulator.store('staging-eu').get({
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        namespace: account,
        name,
      });
    },
    /** Makes Flux fail the release (a message) or succeed again (none). */
    async failRelease(account: string, name: string, message?: string) {
      const response = await fetch(
        `${simulator.url}/simulator/clusters/staging-eu/releases/${account}/${name}/failure`,
        message
          ? {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ message }),
            }
          : { method: 'DELETE' },
      );
      if (!response.ok) throw new Error(await response.text());
    },
    /** accounts.json as the bucket holds it. */
    exported(): string {
      const object = gcs.object(BUCKET, 'accounts.json');
      return object ? Buffer.from(object.data).toString('utf8') : '';
    },
    /** Runs the git CLI on the config repository (a bare one). */
    git(...args: string[]): string {
      return execFileSync('git', [`--git-dir=${configRepo}`, ...args], {
        encoding: 'utf8',
      });
    },
    async stop() {
      await portal.stop();
      await simulator.close();
      await gcs.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type PortalEnvironment = Awaited<
  ReturnType<typeof startPortalEnvironment>
>;
