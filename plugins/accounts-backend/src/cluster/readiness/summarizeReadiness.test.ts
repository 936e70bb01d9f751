import { KubeObject } from '../ClusterClient';
import {
  isRevision,
  revisionSha,
  summarizeReadiness,
} from './summarizeReadiness';

const SHA = '3f9c2a1b4d5e6f708192a3b4c5d6e7f8091a2b3c';
const OLD = '0123456789abcdef0123456789abcdef01234567';
const checkedAt = new Date('2026-11-22T16:09:00.000Z');

function condition(status: string, reason: string, message = '') {
  return { type: 'Ready', status, reason, message };
}

function kustomization(
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
  generation = 1,
): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'acme', namespace: 'acme', generation },
    spec: { path: './k8s/flux/staging/acme', ...spec },
    status: { observedGeneration: 1, ...status },
  };
}

const appliedAt = (sha: string) =>
  kustomization({
    conditions: [
      condition(
        'True',
        'ReconciliationSucceeded',
        `Applied revision: main@sha1:${sha}`,
      ),
    ],
    lastAppliedRevision: `main@sha1:${sha}`,
    lastAttemptedRevision: `main@sha1:${sha}`,
  });

function release(
  name: string,
  options: {
    ready?: [string, string, string];
    generation?: number;
    observedGeneration?: number;
    suspend?: boolean;
  } = {},
): KubeObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace: 'acme', generation: options.generation ?? 1 },
    spec: { interval: '5m', ...(options.suspend && { suspend: true }) },
    status: {
      observedGeneration: options.observedGeneration ?? 1,
      conditions: options.ready
        ? [condition(...options.ready)]
        : [condition('True', 'UpgradeSucceeded', 'Helm upgrade succeeded')],
      lastAttemptedRevision: '1.4.0',
      history: [
        {
          chartVersion: '1.4.0',
          version: 3,
          status: 'deployed',
          chartName: 'backend',
        },
      ],
    },
  };
}

function summarize(
  k: KubeObject | undefined,
  helmReleases: KubeObject[],
  revision?: string,
) {
  return summarizeReadiness({
    account: 'acme',
    cluster: 'staging-eu',
    kustomization: k,
    helmReleases,
    revision,
    checkedAt,
  });
}

describe('revisions', () => {
  it('compares Flux revisions by sha', () => {
    expect(revisionSha(`main@sha1:${SHA}`)).toBe(SHA);
    expect(revisionSha(`main/${SHA}`)).toBe(SHA);
    expect(isRevision(`main@sha1:${SHA}`, SHA)).toBe(true);
    expect(isRevision(`release/v1@sha1:${SHA}`, SHA.slice(0, 7))).toBe(true);
    expect(isRevision(`main@sha1:${SHA}`, `main@sha1:${SHA}`)).toBe(true);
    expect(isRevision(`main@sha1:${OLD}`, SHA)).toBe(false);
    expect(isRevision(undefined, SHA)).toBe(false);
  });
});

describe('summarizeReadiness', () => {
  it('is missing without a Kustomization', () => {
    expect(summarize(undefined, [])).toEqual({
      account: 'acme',
      cluster: 'staging-eu',
      state: 'missing',
      message:
        "Cluster 'staging-eu' has no Flux Kustomization acme/acme: the account is not provisioned there",
      releases: [],
      checkedAt: '2026-11-22T16:09:00.000Z',
    });
  });

  it('is ready when the wanted commit is applied and every release is Ready', () => {
    const readiness = summarize(
      appliedAt(SHA),
      [release('engine'), release('backend')],
      SHA,
    );
    expect(readiness.state).toBe('ready');
    expect(readiness.wantedRevision).toBe(SHA);
    expect(readiness.message).toBe(
      `Kustomization acme/acme applied main@sha1:${SHA}; 2 HelmReleases Ready`,
    );
    expect(readiness.kustomization).toEqual({
      name: 'acme',
      namespace: 'acme',
      ready: true,
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: main@sha1:${SHA}`,
      lastAppliedRevision: `main@sha1:${SHA}`,
      lastAttemptedRevision: `main@sha1:${SHA}`,
      suspended: false,
    });
    expect(readiness.releases.map(r => r.name)).toEqual(['backend', 'engine']);
    expect(readiness.releases[0]).toEqual({
      name: 'backend',
      ready: true,
      reason: 'UpgradeSucceeded',
      message: 'Helm upgrade succeeded',
      observed: true,
      suspended: false,
      lastAttemptedRevision: '1.4.0',
      deployed: { chartVersion: '1.4.0', version: 3, status: 'deployed' },
    });
  });

  it('is ready at any revision when none is wanted', () => {
    expect(summarize(appliedAt(OLD), [release('backend')]).state).toBe('ready');
  });

  it('is progressing until the wanted commit is applied, whatever the releases show', () => {
    const failedBefore = release('backend', {
      ready: ['False', 'UpgradeFailed', 'old failure'],
    });
    const readiness = summarize(appliedAt(OLD), [failedBefore], SHA);
    expect(readiness.state).toBe('progressing');
    expect(readiness.message).toBe(
      `Waiting for Flux to apply commit 3f9c2a1 (Kustomization acme/acme applied main@sha1:${OLD})`,
    );
  });

  it('fails when the Kustomization failed on the wanted commit', () => {
    const k = kustomization({
      conditions: [
        condition(
          'False',
          'BuildFailed',
          'kustomize build failed: missing resource',
        ),
      ],
      lastAppliedRevision: `main@sha1:${OLD}`,
      lastAttemptedRevision: `main@sha1:${SHA}`,
    });
    const readiness = summarize(k, [], SHA);
    expect(readiness.state).toBe('failed');
    expect(readiness.message).toBe(
      'Kustomization acme/acme failed: kustomize build failed: missing resource',
    );
  });

  it('fails naming the HelmRelease with Flux’s message', () => {
    const message =
      'Helm upgrade failed for release acme/backend with chart backend@1.4.0: context deadline exceeded';
    const readiness = summarize(
      appliedAt(SHA),
      [
        release('backend', { ready: ['False', 'UpgradeFailed', message] }),
        release('engine'),
      ],
      SHA,
    );
    expect(readiness.state).toBe('failed');
    expect(readiness.message).toBe(
      `HelmRelease acme/backend failed: ${message}`,
    );
  });

  it('is progressing while a failed release has not seen its new spec', () => {
    const behind = release('backend', {
      ready: ['False', 'UpgradeFailed', 'old failure'],
      generation: 2,
      observedGeneration: 1,
    });
    const readiness = summarize(appliedAt(SHA), [behind], SHA);
    expect(readiness.state).toBe('progressing');
    expect(readiness.releases[0].observed).toBe(false);
    expect(readiness.message).toBe(
      'Waiting for HelmRelease acme/backend: old failure',
    );
  });

  it.each([
    ['Unknown', 'Progressing', 'Fulfilling prerequisites'],
    ['False', 'DependencyNotReady', 'dependency acme/db is not ready'],
  ])('is progressing while a release is %s/%s', (status, reason, message) => {
    const readiness = summarize(
      appliedAt(SHA),
      [
        release('backend', { ready: [status, reason, message] }),
        release('engine', { ready: [status, reason, message] }),
      ],
      SHA,
    );
    expect(readiness.state).toBe('progressing');
    expect(readiness.message).toBe(
      `Waiting for HelmRelease acme/backend: ${message} (and 1 other)`,
    );
  });

  it('is suspended when the Kustomization or a release is', () => {
    const suspendedK = kustomization(
      { conditions: [condition('True', 'ReconciliationSucceeded')] },
      { suspend: true },
    );
    expect(summarize(suspendedK, [release('backend')])).toMatchObject({
      state: 'suspended',
      message: 'Kustomization acme/acme is suspended',
      kustomization: { suspended: true },
    });
    const readiness = summarize(appliedAt(SHA), [
      release('backend', { suspend: true }),
      release('engine', { suspend: true }),
    ]);
    expect(readiness.state).toBe('suspended');
    expect(readiness.message).toBe(
      'HelmReleases acme/backend, acme/engine are suspended',
    );
  });

  it('does not call a Kustomization failed before Flux handled the last reconcile request', () => {
    const failing = (handled?: string) => ({
      ...kustomization({
        conditions: [condition('False', 'BuildFailed', 'old failure')],
        lastAttemptedRevision: `main@sha1:${SHA}`,
        ...(handled && { lastHandledReconcileAt: handled }),
      }),
      metadata: {
        name: 'acme',
        namespace: 'acme',
        generation: 1,
        annotations: {
          'reconcile.fluxcd.io/requestedAt': '2026-11-22T16:08:00Z',
        },
      },
    });
    expect(summarize(failing(), [], SHA).state).toBe('progressing');
    expect(summarize(failing('2026-11-22T16:08:00Z'), [], SHA).state).toBe(
      'failed',
    );
  });

  it('waits for a Kustomization that has not reported yet', () => {
    const fresh = kustomization({ observedGeneration: undefined });
    const readiness = summarize(fresh, [], SHA);
    expect(readiness.state).toBe('progressing');
    expect(readiness.kustomization?.ready).toBeUndefined();
  });
});
