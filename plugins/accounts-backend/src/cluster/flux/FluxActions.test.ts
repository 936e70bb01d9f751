import { ConfigReader } from '@backstage/config';
import { Account } from '@fleet-portal/plugin-accounts-common';
import {
  collectingLogger,
  registryAccount,
} from '../../__testUtils__/clusters';
import { KubernetesClusters } from '../KubernetesClusters';
import {
  FluxActionsCluster,
  startFluxActionsCluster,
} from './__testUtils__/fluxActionsCluster';
import { FluxActions } from './FluxActions';
import {
  FORCE_AT_ANNOTATION,
  REQUESTED_AT_ANNOTATION,
  RESET_AT_ANNOTATION,
  SUSPENDED_AT_ANNOTATION,
  SUSPENDED_BY_ANNOTATION,
} from './fluxAnnotations';

// FluxActions against the Kubernetes simulator, whose Flux applies what is
// committed to a real config repository.

jest.setTimeout(60_000);

const backend = { kind: 'HelmRelease', name: 'backend' } as const;
const engine = { kind: 'HelmRelease', name: 'engine' } as const;
const kustomization = { kind: 'Kustomization' } as const;

const services = (replicas?: number) =>
  ['backend', 'engine'].map(name => ({
    name,
    ...(replicas && { values: { replicas } }),
  }));

/** Ready for its current spec. */
function ready(object: any): boolean {
  return (
    object.status?.observedGeneration === object.metadata.generation &&
    object.status?.conditions?.some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    )
  );
}

let env: FluxActionsCluster;
const started: FluxActionsCluster[] = [];

async function start(
  options?: Parameters<typeof startFluxActionsCluster>[0],
): Promise<FluxActionsCluster> {
  env = await startFluxActionsCluster(options);
  started.push(env);
  return env;
}

/** Commits and provisions the accounts and waits until Flux made them Ready. */
async function deployed(accounts: Account[]): Promise<string> {
  const sha = await env.commit(accounts);
  for (const account of accounts) {
    await env.provision(account);
    await env.until(account.name, kustomization, ready);
    for (const service of account.services) {
      await env.until(account.name, { ...backend, name: service.name }, ready);
    }
  }
  return sha;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map(e => e.close()));
});

describe('FluxActions', () => {
  let acme: Account;
  beforeEach(async () => {
    await start();
    acme = registryAccount('acme', { services: services() });
    await deployed([acme]);
  });

  it('reconciles a HelmRelease and the Kustomization, waiting until Flux handled the request', async () => {
    const result = await env.actions.reconcile(acme, backend);
    const stored = env.stored('acme', backend);
    expect(result).toEqual({
      account: 'acme',
      kind: 'HelmRelease',
      namespace: 'acme',
      name: 'backend',
      action: 'reconcile',
      requestedAt: stored.metadata.annotations[REQUESTED_AT_ANNOTATION],
      handled: true,
      suspended: false,
      message: expect.stringMatching(
        /^HelmRelease acme\/backend: Flux reconciled it, Ready: Helm install succeeded for release acme\/backend\.v1/,
      ),
    });
    expect(new Date(result.requestedAt!).toISOString()).toBe(
      result.requestedAt,
    );
    expect(stored.status.lastHandledReconcileAt).toBe(result.requestedAt);
    expect(stored.metadata.annotations).not.toHaveProperty(FORCE_AT_ANNOTATION);
    expect(stored.metadata.annotations).not.toHaveProperty(RESET_AT_ANNOTATION);
    expect(stored.metadata.managedFields).toContainEqual(
      expect.objectContaining({ manager: 'fleet-portal', operation: 'Update' }),
    );

    const again = await env.actions.reconcile(acme, kustomization);
    const stored2 = env.stored('acme', kustomization);
    expect(again).toMatchObject({
      kind: 'Kustomization',
      namespace: 'acme',
      name: 'acme',
      handled: true,
      requestedAt: stored2.metadata.annotations[REQUESTED_AT_ANNOTATION],
    });
    expect(stored2.status.lastHandledReconcileAt).toBe(again.requestedAt);
    expect(again.message).toMatch(
      /^Kustomization acme\/acme: Flux reconciled it, Ready: /,
    );
  });

  it('writes the force token with requestedAt, and Helm upgrades although nothing changed', async () => {
    const before = env.stored('acme', backend).status.history[0].version;
    const result = await env.actions.reconcile(acme, backend, { force: true });
    const stored = env.stored('acme', backend);
    expect(result.handled).toBe(true);
    expect(stored.metadata.annotations).toMatchObject({
      [REQUESTED_AT_ANNOTATION]: result.requestedAt,
      [FORCE_AT_ANNOTATION]: result.requestedAt,
    });
    expect(stored.metadata.annotations).not.toHaveProperty(RESET_AT_ANNOTATION);
    expect(stored.status.lastHandledForceAt).toBe(result.requestedAt);
    expect(stored.status.history[0]).toMatchObject({
      version: before + 1,
      status: 'deployed',
    });
    await expect(
      env.actions.reconcile(acme, kustomization, { force: true }),
    ).rejects.toThrow('Invalid force: only for HelmReleases');
  });

  it('writes the reset token with requestedAt, which lets a stalled release try again', async () => {
    await env.failRelease('acme', 'backend', 'image pull back-off');
    await env.commit([
      registryAccount('acme', {
        services: [{ name: 'backend', values: { replicas: 3 } }],
      }),
    ]);
    await env.until('acme', backend, o =>
      o.status?.conditions?.some(
        (c: any) => c.type === 'Stalled' && c.status === 'True',
      ),
    );
    await env.failRelease('acme', 'backend');

    // Without a reset its failures still count: Flux handles it, still stalled.
    const plain = await env.actions.reconcile(acme, backend);
    expect(plain.handled).toBe(true);
    expect(plain.message).toMatch(/not Ready: .*image pull back-off/);

    const reset = await env.actions.reconcile(acme, backend, { reset: true });
    const stored = env.stored('acme', backend);
    expect(stored.metadata.annotations).toMatchObject({
      [REQUESTED_AT_ANNOTATION]: reset.requestedAt,
      [RESET_AT_ANNOTATION]: reset.requestedAt,
    });
    expect(stored.status.lastHandledResetAt).toBe(reset.requestedAt);
    expect(reset).toMatchObject({ handled: true, suspended: false });
    expect(reset.message).toMatch(/, Ready: Helm upgrade succeeded/);
  });

  it('suspends a HelmRelease recording who and when, Flux leaves it alone, and resume clears and reconciles', async () => {
    const startedAt = new Date().toISOString();
    const suspended = await env.actions.suspend(
      acme,
      backend,
      'user:default/alice',
    );
    expect(suspended).toEqual({
      account: 'acme',
      kind: 'HelmRelease',
      namespace: 'acme',
      name: 'backend',
      action: 'suspend',
      handled: true,
      suspended: true,
      message:
        'HelmRelease acme/backend suspended by user:default/alice: Flux leaves it alone until it is resumed',
    });
    const stored = env.stored('acme', backend);
    expect(stored.spec.suspend).toBe(true);
    const at = stored.metadata.annotations[SUSPENDED_AT_ANNOTATION];
    expect(stored.metadata.annotations[SUSPENDED_BY_ANNOTATION]).toBe(
      'user:default/alice',
    );
    expect(new Date(at).toISOString()).toBe(at);
    expect(at >= startedAt && at <= new Date().toISOString()).toBe(true);

    // Suspending again keeps the first record.
    const again = await env.actions.suspend(acme, backend, 'user:default/bob');
    expect(again.message).toBe(
      `HelmRelease acme/backend was already suspended by user:default/alice at ${at}`,
    );
    expect(
      env.stored('acme', backend).metadata.annotations[SUSPENDED_BY_ANNOTATION],
    ).toBe('user:default/alice');

    // A commit changing both releases: Flux upgrades engine, not backend.
    const generation = stored.metadata.generation;
    await env.commit([registryAccount('acme', { services: services(3) })]);
    await env.until('acme', engine, o => o.status?.history?.[0]?.version === 2);
    const skipped = await env.until(
      'acme',
      backend,
      o => o.metadata.generation > generation,
    );
    // Not even the suspend itself (a spec change) was observed.
    expect(skipped.status.observedGeneration).toBe(
      stored.status.observedGeneration,
    );
    expect(skipped.status.observedGeneration).toBeLessThan(generation);
    expect(skipped.status.history[0].version).toBe(1);

    const resumed = await env.actions.resume(acme, backend);
    const after = env.stored('acme', backend);
    expect(resumed).toMatchObject({
      action: 'resume',
      handled: true,
      suspended: false,
      requestedAt: after.status.lastHandledReconcileAt,
    });
    expect(resumed.message).toMatch(
      /^HelmRelease acme\/backend resumed: Flux reconciled it, Ready: Helm upgrade succeeded/,
    );
    expect(after.spec).not.toHaveProperty('suspend');
    expect(after.metadata.annotations).not.toHaveProperty(
      SUSPENDED_BY_ANNOTATION,
    );
    expect(after.metadata.annotations).not.toHaveProperty(
      SUSPENDED_AT_ANNOTATION,
    );
    expect(after.status.history[0]).toMatchObject({
      version: 2,
      status: 'deployed',
    });
    expect(after.status.observedGeneration).toBe(after.metadata.generation);
  });

  it('suspends a Kustomization: new commits wait, reconcile is refused, provisioning keeps it suspended, resume applies', async () => {
    const other = registryAccount('other', { services: services() });
    const first = await deployed([acme, other]);
    await env.actions.suspend(acme, kustomization, 'user:default/alice');

    const requested = env.stored('acme', kustomization).metadata.annotations?.[
      REQUESTED_AT_ANNOTATION
    ];
    await expect(env.actions.reconcile(acme, kustomization)).rejects.toThrow(
      'Kustomization acme/acme is suspended: resume it before reconciling',
    );
    expect(
      env.stored('acme', kustomization).metadata.annotations?.[
        REQUESTED_AT_ANNOTATION
      ],
    ).toBe(requested);

    await env.provision(acme);
    expect(env.stored('acme', kustomization).spec.suspend).toBe(true);

    // Both folders change; Flux applies the other account's only.
    const second = await env.commit([
      registryAccount('acme', { services: services(3) }),
      registryAccount('other', { services: services(3) }),
    ]);
    await env.until(
      'other',
      kustomization,
      o => o.status?.lastAppliedRevision === `main@sha1:${second}`,
    );
    expect(env.stored('acme', kustomization).status.lastAppliedRevision).toBe(
      `main@sha1:${first}`,
    );

    const resumed = await env.actions.resume(acme, kustomization);
    expect(resumed).toMatchObject({ handled: true, suspended: false });
    expect(resumed.message).toMatch(
      /^Kustomization acme\/acme resumed: Flux reconciled it, Ready: /,
    );
    expect(env.stored('acme', kustomization).status.lastAppliedRevision).toBe(
      `main@sha1:${second}`,
    );
  });

  it('answers 404 for a service the account has not, or an object the cluster has not', async () => {
    await expect(
      env.actions.reconcile(acme, { kind: 'HelmRelease', name: 'web' }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        "No HelmRelease 'web' in account 'acme': the service is not enabled for it",
    });
    const withWorker = registryAccount('acme', {
      services: [...services(), { name: 'worker' }],
    });
    await expect(
      env.actions.suspend(
        withWorker,
        { kind: 'HelmRelease', name: 'worker' },
        'user:default/alice',
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: "HelmRelease acme/worker not found on cluster 'staging-eu'",
    });
    await expect(
      env.actions.resume(registryAccount('nobody'), kustomization),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: "Kustomization nobody/nobody not found on cluster 'staging-eu'",
    });
  });
});

describe('FluxActions with a slow Flux', () => {
  it('answers handled false when the wait runs out first', async () => {
    await start({
      waitMs: 300,
      timing: { sourceMs: 5, kustomizeMs: 60_000, helmMs: 5, pollMs: 20 },
    });
    const acme = registryAccount('acme');
    await env.commit([acme]);
    await env.provision(acme);
    // Flux is busy applying the folder (for a minute): the request waits.
    await env.until('acme', kustomization, o =>
      o.status?.conditions?.some((c: any) =>
        c.message?.startsWith('Fetching manifests'),
      ),
    );
    const result = await env.actions.reconcile(acme, kustomization);
    const stored = env.stored('acme', kustomization);
    expect(result).toMatchObject({
      handled: false,
      suspended: false,
      requestedAt: stored.metadata.annotations[REQUESTED_AT_ANNOTATION],
      message:
        'Kustomization acme/acme: reconcile requested; Flux has not handled it within 0.3 s and will when its controller gets to it',
    });
    expect(stored.status.lastHandledReconcileAt).not.toBe(result.requestedAt);
  });
});

describe('FluxActions.fromConfig', () => {
  it('refuses a wait out of bounds, naming the key', () => {
    const clusters = KubernetesClusters.fromConfig(new ConfigReader({}), {
      logger: collectingLogger().logger,
    });
    for (const seconds of [-1, 301]) {
      expect(() =>
        FluxActions.fromConfig(
          new ConfigReader({
            accounts: { flux: { actionWaitSeconds: seconds } },
          }),
          { clusters },
        ),
      ).toThrow(
        'Invalid config accounts.flux.actionWaitSeconds: must be between 0 and 300',
      );
    }
    expect(
      FluxActions.fromConfig(new ConfigReader({}), { clusters }),
    ).toBeInstanceOf(FluxActions);
  });
});
