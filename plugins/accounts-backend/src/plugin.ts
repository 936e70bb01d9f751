import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  ACCOUNT_RESOURCE_TYPE,
  accountsPermissions,
} from '@fleet-portal/plugin-accounts-common';
import { DatabaseAccountsStore } from './registry/DatabaseAccountsStore';
import { AccountsExporter } from './export/AccountsExporter';
import { createExportTarget } from './export/createExportTarget';
import { seedDemoAccounts } from './registry/demoAccounts';
import { readEnvironments } from './registry/environments';
import { createRouter } from './service/router';
import { AccountConfigService } from './gitops/AccountConfigService';
import { createConfigRepository } from './gitops/createConfigRepository';
import { readGitopsConfig } from './gitops/render/gitopsConfig';
import { AccountsAuthorizer } from './permissions/AccountsAuthorizer';
import { accountResourceRef, accountRules } from './permissions/rules';
import { KubernetesClusters } from './cluster/KubernetesClusters';
import { KubernetesClusterSide } from './cluster/KubernetesClusterSide';
import { FluxActions } from './cluster/flux/FluxActions';
import { AccountProvisioner } from './cluster/provisioning/AccountProvisioner';
import { provisionSimulatedFleet } from './cluster/provisioning/provisionSimulatedFleet';
import { PostExportHook } from './export/PostExportHook';
import { DatabaseOperationsStore } from './workflows/DatabaseOperationsStore';
import { OperationRunner } from './workflows/OperationRunner';
import { deploySteps } from './workflows/deploySteps';
import { readWorkflowConfig } from './workflows/workflowConfig';
import { startFleet } from './fleet/startFleet';
import { createReleaseService } from './releases/createReleaseService';

/**
 * The accounts backend plugin: registry, GitOps, cluster, fleet and release
 * workflows of Fleet Portal. This file only wires services together.
 *
 * @public
 */
export const accountsPlugin = createBackendPlugin({
  pluginId: 'accounts',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init({
        logger,
        config,
        auditor,
        lifecycle,
        database,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        scheduler,
      }) {
        const store = await DatabaseAccountsStore.create({ database });
        // Accounts are a permission resource: policies answer with conditions
        // on them, which other plugins resolve through getResources.
        permissionsRegistry.addResourceType({
          resourceRef: accountResourceRef,
          permissions: accountsPermissions.filter(
            p =>
              p.type === 'resource' && p.resourceType === ACCOUNT_RESOURCE_TYPE,
          ),
          rules: Object.values(accountRules),
          getResources: names => store.getAccounts(names),
        });
        permissionsRegistry.addPermissions(accountsPermissions);
        const authorizer = new AccountsAuthorizer({
          permissions,
          ruleset: permissionsRegistry.getPermissionRuleset(accountResourceRef),
        });
        const exportTarget = createExportTarget(config);
        const exporter = exportTarget
          ? new AccountsExporter({ store, target: exportTarget, logger })
          : undefined;
        if (exporter) {
          lifecycle.addShutdownHook(() => exporter.flush());
        }
        const repository = await createConfigRepository(config, { logger });
        const gitopsConfig = readGitopsConfig(config);
        const gitops = repository
          ? new AccountConfigService({
              repository,
              config: gitopsConfig,
              logger,
            })
          : undefined;
        // The cluster side: provisioning, Flux readiness and deploys, run as
        // operations any replica can resume.
        const clusters = KubernetesClusters.fromConfig(config, { logger });
        const clusterSide =
          clusters.list().length > 0
            ? new KubernetesClusterSide({
                clusters,
                provisioner: AccountProvisioner.fromConfig(config, {
                  clusters,
                  logger,
                }),
              })
            : undefined;
        const fluxActions = clusterSide
          ? FluxActions.fromConfig(config, { clusters })
          : undefined;
        const operations = await DatabaseOperationsStore.create({ database });
        const hook = PostExportHook.fromConfig(config);
        const runner = clusterSide
          ? new OperationRunner({
              store: operations,
              logger,
              steps: {
                deploy: deploySteps({
                  accounts: store,
                  operations,
                  cluster: clusterSide,
                  gitops,
                  exporter,
                  afterExport: hook && (event => hook.send(event)),
                  ...readWorkflowConfig(config),
                }),
              },
            })
          : undefined;
        if (runner) {
          lifecycle.addShutdownHook(() => runner.shutdown());
          // Once across replicas: pick up operations whose runner is gone.
          await scheduler.scheduleTask({
            id: 'accounts-resume-operations',
            frequency: { seconds: 15 },
            timeout: { minutes: 1 },
            fn: async () => {
              await runner.resumeInterrupted();
            },
          });
        }
        if (config.getOptionalBoolean('accounts.demoData')) {
          if ((await seedDemoAccounts(store, logger)) > 0) {
            exporter?.requestExport();
            await gitops?.seedDemoFleet(await store.allAccounts());
          }
          // The simulator forgets its objects on restart: on every start, in
          // the background, after the seed's commit.
          if (clusterSide) {
            store
              .allAccounts()
              .then(accounts =>
                provisionSimulatedFleet({
                  accounts,
                  cluster: clusterSide,
                  clusters: clusters.list(),
                  logger,
                }),
              )
              .catch(error =>
                logger.warn(
                  `Could not provision the simulated fleet: ${error}`,
                ),
              );
          }
        }
        // Desired against live for the whole fleet, from a per-replica cache.
        const fleet = await startFleet({
          clusters,
          store,
          repository,
          gitops: gitopsConfig,
          logger,
          scheduler,
          lifecycle,
        });
        // Services' releases from their repositories (seeded demo ones on
        // the embedded defaults).
        const releases = await createReleaseService({
          config,
          gitops: gitopsConfig,
          logger,
        });
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            authorizer,
            auditor,
            store,
            exporter,
            environments: readEnvironments(config),
            config: gitops,
            services: gitopsConfig.services.map(s => s.name),
            workflows: {
              clusters: clusters.list(),
              cluster: clusterSide,
              runner,
              operations,
            },
            flux: fluxActions,
            fleet,
            releases,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
