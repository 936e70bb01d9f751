import {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { KubernetesClusters } from '../cluster/KubernetesClusters';
import { WatchingLiveStateCache } from '../cluster/live/WatchingLiveStateCache';
import { ConfigRepository } from '../gitops/ConfigRepository';
import { GitopsConfig } from '../gitops/render/gitopsConfig';
import { AccountsStore } from '../registry/AccountsStore';
import { DesiredStateReader } from './desired/DesiredStateReader';
import { FleetService } from './FleetService';

/**
 * Starts the fleet's live state (a list+watch cache of every cluster, in
 * the background: start-up never waits for a cluster) and answers the
 * {@link FleetService} over it; `undefined` without clusters. Each replica
 * keeps its own cache, re-listed every 10 minutes by a local scheduled task;
 * the cache stops at shutdown.
 */
export async function startFleet(options: {
  clusters: KubernetesClusters;
  store: AccountsStore;
  repository?: ConfigRepository;
  gitops: GitopsConfig;
  logger: LoggerService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
}): Promise<FleetService | undefined> {
  const { clusters, logger } = options;
  if (clusters.list().length === 0) return undefined;
  const live = new WatchingLiveStateCache({ clusters, logger });
  live
    .start()
    .catch(error => logger.warn(`Could not start the live state: ${error}`));
  options.lifecycle.addShutdownHook(() => live.stop());
  await options.scheduler.scheduleTask({
    id: 'accounts-live-state-resync',
    frequency: { minutes: 10 },
    timeout: { minutes: 2 },
    initialDelay: { minutes: 10 },
    scope: 'local',
    fn: () => live.resync(),
  });
  return new FleetService({
    store: options.store,
    live,
    desired:
      options.repository &&
      new DesiredStateReader({ repository: options.repository, logger }),
    services: options.gitops.services.map(s => s.name),
    imageAutomation: new Set(
      options.gitops.environments
        .filter(e => e.imagePolicy === 'automation')
        .map(e => e.name),
    ),
  });
}
