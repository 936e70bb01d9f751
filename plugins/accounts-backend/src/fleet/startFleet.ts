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
 * the cache stops at shutdown. The desired state is first read once the
 * backend has started, in the background too.
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
  const desired =
    options.repository &&
    new DesiredStateReader({
      repository: options.repository,
      folders: options.gitops.environments.map(e => e.pathPrefix),
      logger,
    });
  if (desired) {
    // Read once in the background, so the first page view after a start
    // does not wait for a large fleet's files.
    options.lifecycle.addStartupHook(() => {
      const started = performance.now();
      desired.read().then(
        state =>
          logger.info(
            `Read the desired state of ${state.tags.size} accounts at ${
              state.commit.slice(0, 7) || 'no commit'
            } in ${Math.round(performance.now() - started)} ms`,
          ),
        error => logger.warn(`Could not read the desired state yet: ${error}`),
      );
    });
  }
  return new FleetService({
    store: options.store,
    live,
    desired,
    services: options.gitops.services.map(s => s.name),
    imageAutomation: new Set(
      options.gitops.environments
        .filter(e => e.imagePolicy === 'automation')
        .map(e => e.name),
    ),
  });
}
