/**
 * The fleet benchmark's baseline: a naive refresh asking the clusters about
 * each account in turn, instead of reading the plugin's watch cache.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { KubernetesTestServer } from '@fleet-portal/test-servers';
import { KubeObject } from '../../../cluster/ClusterClient';
import { KubernetesClusters } from '../../../cluster/KubernetesClusters';
import { releaseHealth } from '../../health/releaseHealth';
import { HELM_RELEASE_NAME_LABEL } from '../../health/workloadHealth';
import { liveTagOf } from '../../liveIndex';
import { fleetAccount } from '../fleetFixtures';
import { noCounts } from './plan';
import { AppConfig } from './testBackend';

const quietLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return quietLogger;
  },
};

/**
 * The baseline: per account, list its namespace's HelmReleases and
 * Deployments (two requests) and roll each service up with `releaseHealth`,
 * `concurrency` accounts at a time, through cluster clients built from the
 * plugin's app config. The desired tags are given in memory, as
 * the cache-based answer has them once read (the same cells as the matrix's
 * show they are the repository's).
 */
export async function naiveRefresh(
  count: number,
  simulator: KubernetesTestServer,
  config: AppConfig,
  desired: ReadonlyMap<string, ReadonlyMap<string, string>>,
  concurrency: number,
) {
  const clusters = KubernetesClusters.fromConfig(new ConfigReader(config), {
    logger: quietLogger,
  });
  const at = new Date().toISOString();
  const counts = noCounts();
  const before = simulator.requests.length;
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const account = fleetAccount(i, at);
      const client = clusters.client(account.cluster);
      const [releases, deployments] = await Promise.all([
        client.list('helm.toolkit.fluxcd.io/v2', 'HelmRelease', {
          namespace: account.name,
        }),
        client.list('apps/v1', 'Deployment', { namespace: account.name }),
      ]);
      for (const { name: service } of account.services) {
        const workloads = deployments
          .filter(
            (d: KubeObject) =>
              d.metadata.labels?.[HELM_RELEASE_NAME_LABEL] === service,
          )
          .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
        const health = releaseHealth({
          service,
          namespace: account.name,
          release: releases.find(r => r.metadata.name === service),
          desiredTag: desired.get(account.name)?.get(service),
          liveTag: liveTagOf(workloads),
          cluster: { cluster: account.cluster, stale: false },
        });
        counts[health.state] += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const requests = simulator.requests.slice(before);
  return {
    ms: performance.now() - started,
    requests: requests.length,
    lists: requests.filter(r => r.path.includes('/namespaces/')).length,
    counts,
  };
}

/** What {@link naiveRefresh} measured. */
export type NaiveRun = Awaited<ReturnType<typeof naiveRefresh>>;
