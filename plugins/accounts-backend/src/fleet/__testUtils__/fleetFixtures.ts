import { ConfigReader } from '@backstage/config';
import {
  Account,
  HEALTH_STATES,
  HealthState,
} from '@fleet-portal/plugin-accounts-common';
import { ClusterStore, KubeObject } from '@fleet-portal/test-servers';
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import { readFile, readdir, rename, rm } from 'fs/promises';
import { join } from 'path';
import { parse } from 'yaml';
import {
  GitopsConfig,
  readGitopsConfig,
} from '../../gitops/render/gitopsConfig';
import {
  RenderedFolder,
  helmReleaseFileName,
  renderAccountFolder,
} from '../../gitops/render/renderAccountFolder';

/*
 * A fleet for the fleet benchmark: accounts spread over four clusters, each
 * with 20 services, as the registry holds them, as the config repository
 * holds their Flux folders (rendered by the portal's own renderer) and as
 * Flux left their objects on the clusters (HelmReleases with the status
 * helm-controller writes, the Deployments Helm made, the Kustomizations).
 * Everything is a pure function of the account's index, so the desired and
 * live sides agree except where a cell is meant to differ.
 */

/** The clusters, two per environment and region pair. */
export const FLEET_CLUSTERS = [
  { name: 'staging-eu', environment: 'staging', region: 'europe-west4' },
  { name: 'staging-us', environment: 'staging', region: 'us-central1' },
  { name: 'production-eu', environment: 'production', region: 'europe-west4' },
  { name: 'production-us', environment: 'production', region: 'us-central1' },
] as const;

/** The token each simulated cluster requires. */
export const clusterToken = (cluster: string) => `bench-${cluster}-7d2a`;

/** The 20 configured services, in column order. */
export const FLEET_SERVICES = [
  'backend',
  'engine',
  'admin',
  'api-gateway',
  'auth',
  'billing',
  'notifications',
  'search',
  'reporting',
  'scheduler',
  'webhooks',
  'exports',
  'imports',
  'audit',
  'files',
  'mailer',
  'analytics',
  'pricing',
  'inventory',
  'frontend',
];

const IMAGES = 'acme';
const BUILT_AT = 1763800000;
/** When the objects' statuses say Flux last acted. */
const AT = '2026-11-22T09:12:41Z';
const FIRST_DEPLOYED = '2026-08-04T12:00:31Z';

/** The chart version configured for service `s`, and the one before it. */
const chartVersion = (s: number) => `2.${s}.0`;
const previousChart = (s: number) => `2.${s - 1 < 0 ? 0 : s - 1}.4`;

function hex(text: string, length: number): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

/** Build `k` of service `s` on main, as staging's image automation tags it. */
function stagingTag(s: number, k: number): string {
  return `main-${hex(`${s}/${k}`, 7)}-${BUILT_AT - k * 86_400 + s * 60}`;
}

/** Release `k` (0 the newest) of service `s`, as production pins it. */
function productionTag(s: number, k: number): string {
  return `${1 + (s % 3)}.${4 + (s % 5)}.${9 - k}`;
}

/** What a cell of the fleet is meant to show. */
export type CellPlan = Exclude<HealthState, 'stale' | 'unknown'>;

/** One account in fifty is inactive: Flux suspends all its releases. */
const isActive = (i: number) => i % 50 !== 7;

/** A well-mixed number in [0, 1000) for account `i`, service `s`. */
function mix(i: number, s: number): number {
  let x = Math.imul(i + 1, 73856093) ^ Math.imul(s + 1, 19349663);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return ((x ^ (x >>> 16)) >>> 0) % 1000;
}

/**
 * The state planned for service `s` of account `i`: 2.5% failed, 2%
 * suspended, 4% progressing, 5% drifted (running another tag than the config
 * repository's), the rest healthy. Inactive accounts are suspended whole.
 */
export function cellPlan(i: number, s: number): CellPlan {
  if (!isActive(i)) return 'suspended';
  const r = mix(i, s);
  if (r < 25) return 'failed';
  if (r < 45) return 'suspended';
  if (r < 85) return 'progressing';
  if (r < 135) return 'drifted';
  return 'healthy';
}

/** The cells per state {@link cellPlan} plans for accounts `0..count-1`. */
export function plannedCounts(count: number): Record<HealthState, number> {
  const counts = Object.fromEntries(HEALTH_STATES.map(s => [s, 0])) as Record<
    HealthState,
    number
  >;
  for (let i = 0; i < count; i++) {
    for (let s = 0; s < FLEET_SERVICES.length; s++) counts[cellPlan(i, s)] += 1;
  }
  return counts;
}

export const clusterOf = (i: number) =>
  FLEET_CLUSTERS[i % FLEET_CLUSTERS.length];

export const accountName = (i: number) =>
  `account-${String(i).padStart(5, '0')}`;

/**
 * The tag the config repository asks for: most accounts on the newest
 * build or release, a tenth one behind, a few two behind.
 */
export function desiredTag(i: number, s: number): string {
  const r = mix(i + 7, s + 3);
  let k = 2;
  if (r < 900) k = 0;
  else if (r < 980) k = 1;
  return clusterOf(i).environment === 'staging'
    ? stagingTag(s, k)
    : productionTag(s, k);
}

/** The desired state the config repository holds, as the fixtures plan it. */
export function plannedDesiredTags(
  count: number,
): Map<string, Map<string, string>> {
  return new Map(
    Array.from({ length: count }, (_, i) => [
      accountName(i),
      new Map(FLEET_SERVICES.map((service, s) => [service, desiredTag(i, s)])),
    ]),
  );
}

/** The tag the cluster runs: the desired one, except where it is not yet or any more. */
export function liveTag(i: number, s: number): string {
  const plan = cellPlan(i, s);
  if (plan === 'healthy' || plan === 'suspended') return desiredTag(i, s);
  const staging = clusterOf(i).environment === 'staging';
  if (plan === 'drifted' && mix(i, s + 11) < 300) return `hotfix-${i % 97}`;
  // Failed and progressing releases still run the previous version.
  return staging ? stagingTag(s, 3) : productionTag(s, 3);
}

/** Account `i` of the registry. */
export function fleetAccount(i: number, at: string): Account {
  const cluster = clusterOf(i);
  return {
    name: accountName(i),
    displayName: `Account ${i}`,
    environment: cluster.environment,
    region: cluster.region,
    gcpProject: `fleet-${cluster.environment}-${i % 20}`,
    cluster: cluster.name,
    active: isActive(i),
    isUat: i % 10 === 3,
    owner: `group:default/team-${i % 8}`,
    labels: { tier: i % 3 === 0 ? 'gold' : 'silver' },
    services: FLEET_SERVICES.map((name, s) =>
      s % 4 === 0 ? { name, values: { replicas: 2 } } : { name },
    ),
    createdAt: at,
    createdBy: 'user:default/bench',
    updatedAt: at,
    updatedBy: 'user:default/bench',
    version: 1,
  };
}

/**
 * How long a request to a cluster may take. The default (10 s) is too short
 * for the first lists at 2,000 accounts (10,000 HelmReleases and as many
 * Deployments per cluster) when the simulator serves them from the same
 * process (and thread) as the client that parses them: they time out and
 * are retried, which the request counts would show.
 */
export const FLEET_CLUSTER_TIMEOUT_SECONDS = 60;

/** `accounts.environments` of the fleet: two clusters per environment. */
export function fleetEnvironments() {
  return ['staging', 'production'].map(name => ({
    name,
    regions: ['europe-west4', 'us-central1'],
    clusters: FLEET_CLUSTERS.filter(c => c.environment === name).map(c => ({
      name: c.name,
      region: c.region,
      timeoutSeconds: FLEET_CLUSTER_TIMEOUT_SECONDS,
    })),
    gitops: { imagePolicy: name === 'staging' ? 'automation' : 'pinned' },
  }));
}

/** `accounts` config: the environments and the 20 services. */
export function fleetAccountsConfig(repositoryPath: string) {
  return {
    environments: fleetEnvironments(),
    gitops: {
      repository: { branch: 'main', local: { path: repositoryPath } },
      notifications: { slackChannel: '#deployments', secretName: 'slack' },
      services: FLEET_SERVICES.map((name, s) => ({
        name,
        chart: {
          name: `./charts/${name}`,
          version: chartVersion(s),
          sourceRef: {
            kind: 'GitRepository',
            name: 'acme-helmcharts',
            namespace: 'flux-system',
          },
        },
        image: { repository: `${IMAGES}/${name}` },
        values: {
          replicas: 1,
          resources: { requests: { cpu: '100m', memory: '256Mi' } },
          ...(s % 3 === 0 && { env: { LOG_LEVEL: 'info' } }),
        },
        environments: {
          staging: {
            imageTag: stagingTag(s, 0),
            values: { env: { LOG_LEVEL: 'debug' } },
          },
          production: {
            imageTag: productionTag(s, 0),
            values: { replicas: 2 },
          },
        },
      })),
    },
  };
}

/** `kubernetes` config reaching the simulator's clusters with their tokens. */
export function fleetKubernetesConfig(clusterUrl: (name: string) => string) {
  return {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: FLEET_CLUSTERS.map(({ name }) => ({
          name,
          url: clusterUrl(name),
          authProvider: 'serviceAccount',
          serviceAccountToken: clusterToken(name),
        })),
      },
    ],
  };
}

/** The GitOps config the plugin reads from {@link fleetAccountsConfig}. */
export function fleetGitopsConfig(): GitopsConfig {
  return readGitopsConfig(
    new ConfigReader({ accounts: fleetAccountsConfig('unused') }),
  );
}

/** One account's Flux folder as the portal renders it. */
export function renderFleetFolder(i: number, gitops: GitopsConfig) {
  const account = fleetAccount(i, '');
  return renderAccountFolder(
    {
      account,
      current: new Map(),
      pins: Object.fromEntries(
        FLEET_SERVICES.map((service, s) => [service, desiredTag(i, s)]),
      ),
    },
    gitops,
  );
}

/** Every account's Flux folder, rendered once for the repository and the clusters. */
export interface RenderedFleet {
  folders: RenderedFolder[];
  ms: number;
}

/** The rendered folders of accounts `0..count-1`. */
export function renderFleet(count: number): RenderedFleet {
  const gitops = fleetGitopsConfig();
  const started = performance.now();
  const folders = Array.from({ length: count }, (_, i) =>
    renderFleetFolder(i, gitops),
  );
  return { folders, ms: performance.now() - started };
}

/** What writing the config repository took. */
export interface ConfigRepositoryBuild {
  commit: string;
  files: number;
  helmReleaseFiles: number;
  bytes: number;
  ms: number;
}

/**
 * Creates a bare repository at `path` whose `main` holds the folders in one
 * commit, written with `git fast-import`, its pack then unpacked into loose
 * objects: the layout the portal's own commits leave (it writes loose
 * objects and never packs). Packed, the first read of the desired state
 * takes longer (isomorphic-git looks for the loose object first, then
 * inflates from the pack).
 */
export async function writeConfigRepository(
  path: string,
  folders: RenderedFolder[],
): Promise<ConfigRepositoryBuild> {
  const started = performance.now();
  const chunks: Buffer[] = [];
  let files = 0;
  let helmReleaseFiles = 0;
  let bytes = 0;
  const message = `Render ${folders.length} accounts\n`;
  chunks.push(
    Buffer.from(
      `commit refs/heads/main\ncommitter Fleet Portal <fleet-portal@localhost> ${BUILT_AT} +0000\ndata ${Buffer.byteLength(
        message,
      )}\n${message}`,
    ),
  );
  for (const { folder, files: rendered } of folders) {
    for (const file of rendered) {
      const content = Buffer.from(file.content, 'utf8');
      chunks.push(
        Buffer.from(
          `M 100644 inline ${folder}/${file.name}\ndata ${content.length}\n`,
        ),
        content,
        Buffer.from('\n'),
      );
      files += 1;
      bytes += content.length;
      if (file.name.startsWith('helmrelease-')) helmReleaseFiles += 1;
    }
  }
  chunks.push(Buffer.from('done\n'));
  await run('git', [
    'init',
    '--quiet',
    '--bare',
    '--initial-branch=main',
    path,
  ]);
  await run(
    'git',
    [`--git-dir=${path}`, 'fast-import', '--quiet', '--done'],
    Buffer.concat(chunks),
  );
  const packs = join(path, 'objects', 'pack');
  for (const name of await readdir(packs)) {
    if (!name.endsWith('.pack')) continue;
    // Unpacking skips objects the repository has: move the pack out first.
    const moved = join(path, name);
    await rename(join(packs, name), moved);
    await rm(join(packs, name.replace(/\.pack$/, '.idx')));
    await run(
      'git',
      [`--git-dir=${path}`, 'unpack-objects', '-q'],
      await readFile(moved),
    );
    await rm(moved);
  }
  const commit = (
    await run('git', [`--git-dir=${path}`, 'rev-parse', 'refs/heads/main'])
  ).trim();
  return {
    commit,
    files,
    helmReleaseFiles,
    bytes,
    ms: performance.now() - started,
  };
}

function run(command: string, args: string[], input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', chunk => out.push(chunk));
    child.stderr.on('data', chunk => err.push(chunk));
    child.on('error', reject);
    child.on('close', code => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} exited ${code}: ${Buffer.concat(
              err,
            ).toString('utf8')}`,
          ),
        );
    });
    child.stdin.end(input);
  });
}

// --- the clusters -----------------------------------------------------------

const HELM_CONTROLLER = 'helm-controller';
const KUSTOMIZE_CONTROLLER = 'kustomize-controller';

function digest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

function condition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  observedGeneration: number,
) {
  return {
    type,
    status,
    reason,
    message,
    observedGeneration,
    lastTransitionTime: AT,
  };
}

/** One `status.history` entry, as helm-controller records it. */
function snapshot(
  namespace: string,
  name: string,
  version: number,
  status: string,
  chart: string,
  appVersion: string,
) {
  const entry = {
    name,
    namespace,
    version,
    status,
    action: version === 1 ? 'install' : 'upgrade',
    chartName: name,
    chartVersion: chart,
    appVersion,
    configDigest: digest(`${namespace}/${name}/${chart}/${appVersion}`),
    firstDeployed: FIRST_DEPLOYED,
    lastDeployed: AT,
  };
  return { ...entry, digest: digest(JSON.stringify(entry)) };
}

/** The status helm-controller leaves on the HelmRelease for the plan. */
function helmReleaseStatus(
  i: number,
  s: number,
  namespace: string,
  generation: number,
) {
  const name = FLEET_SERVICES[s];
  const plan = cellPlan(i, s);
  const chart = chartVersion(s);
  const previous = previousChart(s);
  const tag = desiredTag(i, s);
  const running = liveTag(i, s);
  const release = `${namespace}/${name}`;
  const base = {
    observedGeneration: generation,
    lastAttemptedGeneration: generation,
    lastAttemptedRevision: chart,
    lastAttemptedReleaseAction: 'upgrade',
    lastAttemptedConfigDigest: digest(`${release}/${chart}/${tag}`),
    helmChart: `flux-system/${namespace}-${name}`,
    storageNamespace: namespace,
  };
  const succeeded = (version: number) =>
    `Helm upgrade succeeded for release ${release}.v${version} with chart ${name}@${chart}`;
  switch (plan) {
    case 'failed': {
      const message = `Helm upgrade failed for release ${release} with chart ${name}@${chart}: context deadline exceeded`;
      return {
        ...base,
        failures: 3,
        upgradeFailures: 3,
        conditions: [
          condition(
            'Stalled',
            'True',
            'RetriesExceeded',
            'Failed to upgrade after 3 attempt(s)',
            generation,
          ),
          condition('Ready', 'False', 'UpgradeFailed', message, generation),
          condition('Released', 'False', 'UpgradeFailed', message, generation),
        ],
        history: [
          snapshot(namespace, name, 5, 'failed', chart, tag),
          snapshot(namespace, name, 4, 'deployed', previous, running),
          snapshot(namespace, name, 3, 'superseded', previous, running),
        ],
      };
    }
    case 'progressing': {
      const message = "Running 'upgrade' action with timeout of 5m0s";
      return {
        ...base,
        conditions: [
          condition('Reconciling', 'True', 'Progressing', message, generation),
          condition('Ready', 'Unknown', 'Progressing', message, generation),
          condition(
            'Released',
            'True',
            'UpgradeSucceeded',
            `Helm upgrade succeeded for release ${release}.v4 with chart ${name}@${previous}`,
            generation - 1,
          ),
        ],
        history: [
          snapshot(namespace, name, 4, 'deployed', previous, running),
          snapshot(namespace, name, 3, 'superseded', previous, running),
        ],
      };
    }
    default:
      // Healthy, suspended (after it was healthy) and drifted (Helm's
      // release is fine; someone changed the workload's image).
      return {
        ...base,
        lastHandledReconcileAt: AT,
        conditions: [
          condition(
            'Ready',
            'True',
            'UpgradeSucceeded',
            succeeded(4),
            generation,
          ),
          condition(
            'Released',
            'True',
            'UpgradeSucceeded',
            succeeded(4),
            generation,
          ),
        ],
        history: [
          snapshot(namespace, name, 4, 'deployed', chart, tag),
          snapshot(namespace, name, 3, 'superseded', previous, tag),
        ],
      };
  }
}

/** The Deployment the chart made, with Helm's and Flux's labels. */
function deployment(i: number, s: number, namespace: string, replicas: number) {
  const name = FLEET_SERVICES[s];
  const selector = {
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/name': name,
  };
  const chart =
    cellPlan(i, s) === 'healthy' ? chartVersion(s) : previousChart(s);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: {
        ...selector,
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': `${name}-${chart}`,
        'helm.toolkit.fluxcd.io/name': name,
        'helm.toolkit.fluxcd.io/namespace': namespace,
      },
      annotations: {
        'meta.helm.sh/release-name': name,
        'meta.helm.sh/release-namespace': namespace,
      },
    },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          containers: [
            {
              name,
              image: `${IMAGES}/${name}:${liveTag(i, s)}`,
              ports: [{ containerPort: 8080, name: 'http' }],
            },
          ],
        },
      },
    },
  };
}

function deploymentStatus(name: string, replicas: number, generation: number) {
  const condition2 = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    reason,
    message,
    lastUpdateTime: AT,
    lastTransitionTime: AT,
  });
  return {
    observedGeneration: generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      condition2(
        'Available',
        'MinimumReplicasAvailable',
        'Deployment has minimum availability.',
      ),
      condition2(
        'Progressing',
        'NewReplicaSetAvailable',
        `ReplicaSet "${name}" has successfully progressed.`,
      ),
    ],
  };
}

/** What loading the clusters took, by kind of write. */
export interface ClusterLoad {
  objects: number;
  writes: number;
  ms: Record<'objects' | 'create' | 'status', number>;
}

/**
 * The HelmRelease of a rendered file as Flux applies it. Files of one
 * service and environment differ only in the account's name and the image
 * tag, so each such file is parsed once and its object copied with those
 * two changed (checked against a parse of the file for the first accounts).
 */
class ReleaseObjects {
  private readonly templates = new Map<string, any>();
  private checked = 0;

  object(i: number, s: number, content: string): any {
    const account = accountName(i);
    const key = `${clusterOf(i).environment}/${s}/${isActive(i)}`;
    let template = this.templates.get(key);
    if (!template) {
      template = parse(content);
      this.templates.set(key, template);
    }
    const object = structuredClone(template);
    object.metadata.namespace = account;
    object.metadata.labels['fleet-portal.io/account'] = account;
    object.spec.values.image.tag = desiredTag(i, s);
    if (this.checked < 200) {
      this.checked += 1;
      if (JSON.stringify(object) !== JSON.stringify(parse(content))) {
        throw new Error(
          `The HelmRelease ${account}/${FLEET_SERVICES[s]} differs from its file`,
        );
      }
    }
    return object;
  }
}

/**
 * Writes accounts `0..count-1` into their clusters' stores through the
 * store's own write path (schema validation, defaults, managedFields): per
 * account its Namespace and Kustomization, per service the HelmRelease (as
 * the rendered file says, suspended where planned) and its Deployment; then
 * each object's status as the controllers write it (a `/status` patch).
 * Staging clusters also get the ImagePolicies image automation follows.
 */
export function loadClusters(
  stores: (cluster: string) => ClusterStore,
  folders: RenderedFolder[],
  commit: string,
): ClusterLoad {
  const releases = new ReleaseObjects();
  const load: ClusterLoad = {
    objects: 0,
    writes: 0,
    ms: { objects: 0, create: 0, status: 0 },
  };
  const timed = <T>(what: keyof ClusterLoad['ms'], fn: () => T): T => {
    const started = performance.now();
    try {
      return fn();
    } finally {
      load.ms[what] += performance.now() - started;
    }
  };
  const create = (store: ClusterStore, object: object, manager: string) =>
    timed('create', () => {
      load.objects += 1;
      load.writes += 1;
      return store.create(object as KubeObject, { fieldManager: manager });
    });
  const status = (
    store: ClusterStore,
    object: KubeObject,
    value: Record<string, unknown>,
    manager: string,
  ) =>
    timed('status', () => {
      load.writes += 1;
      store.mergePatch(
        {
          apiVersion: object.apiVersion,
          kind: object.kind,
          namespace: object.metadata.namespace,
          name: object.metadata.name,
        },
        { status: value },
        { fieldManager: manager, subresource: 'status' },
      );
    });

  for (const cluster of FLEET_CLUSTERS) {
    const store = stores(cluster.name);
    create(
      store,
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'flux-system' },
      },
      'kubectl',
    );
    if (cluster.environment !== 'staging') continue;
    FLEET_SERVICES.forEach((service, s) => {
      const policy = create(
        store,
        {
          apiVersion: 'image.toolkit.fluxcd.io/v1',
          kind: 'ImagePolicy',
          metadata: { name: `${service}-staging`, namespace: 'flux-system' },
          spec: {
            imageRepositoryRef: { name: service },
            filterTags: {
              pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)',
              extract: '$ts',
            },
            policy: { numerical: { order: 'asc' } },
          },
        },
        'kustomize-controller',
      );
      const tag = stagingTag(s, 0);
      status(
        store,
        policy,
        {
          observedGeneration: policy.metadata.generation,
          latestRef: { name: `${IMAGES}/${service}`, tag },
          conditions: [
            condition(
              'Ready',
              'True',
              'Succeeded',
              `Latest image tag for ${IMAGES}/${service} resolved to ${tag}`,
              policy.metadata.generation ?? 1,
            ),
          ],
        },
        'image-reflector-controller',
      );
    });
  }

  folders.forEach(({ folder, files }, i) => {
    const cluster = clusterOf(i);
    const store = stores(cluster.name);
    const name = accountName(i);
    create(
      store,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      'kustomize-controller',
    );
    const revision = `main@sha1:${commit}`;
    const kustomization = create(
      store,
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: {
          name,
          namespace: name,
          labels: {
            'app.kubernetes.io/managed-by': 'fleet-portal',
            'fleet-portal.io/account': name,
            'fleet-portal.io/environment': cluster.environment,
          },
        },
        spec: {
          interval: '5m',
          path: `./${folder}`,
          prune: true,
          wait: true,
          sourceRef: {
            kind: 'GitRepository',
            name: 'fleet-config',
            namespace: 'flux-system',
          },
        },
      },
      'fleet-portal',
    );
    const generation = kustomization.metadata.generation ?? 1;
    status(
      store,
      kustomization,
      {
        observedGeneration: generation,
        lastAppliedRevision: revision,
        lastAttemptedRevision: revision,
        lastHandledReconcileAt: AT,
        inventory: {
          entries: FLEET_SERVICES.map(service => ({
            id: `${name}_${service}_helm.toolkit.fluxcd.io_HelmRelease`,
            v: 'v2',
          })),
        },
        conditions: [
          condition(
            'Ready',
            'True',
            'ReconciliationSucceeded',
            `Applied revision: ${revision}`,
            generation,
          ),
          condition(
            'Healthy',
            'True',
            'Succeeded',
            'Health check passed in 2.013s',
            generation,
          ),
        ],
      },
      KUSTOMIZE_CONTROLLER,
    );

    FLEET_SERVICES.forEach((service, s) => {
      const file = files.find(f => f.name === helmReleaseFileName(service))!;
      const rendered = timed('objects', () =>
        releases.object(i, s, file.content),
      );
      if (cellPlan(i, s) === 'suspended' && isActive(i)) {
        rendered.spec.suspend = true;
        rendered.metadata.annotations = {
          'fleet-portal.io/suspended-by': 'user:default/oncall',
          'fleet-portal.io/suspended-at': AT,
        };
      }
      const release = create(store, rendered, KUSTOMIZE_CONTROLLER);
      status(
        store,
        release,
        helmReleaseStatus(i, s, name, release.metadata.generation ?? 1),
        HELM_CONTROLLER,
      );
      const replicas = Number(rendered.spec.values?.replicas ?? 1);
      const workload = create(
        store,
        deployment(i, s, name, replicas),
        HELM_CONTROLLER,
      );
      status(
        store,
        workload,
        deploymentStatus(service, replicas, workload.metadata.generation ?? 1),
        'kube-controller-manager',
      );
    });
  });
  return load;
}
