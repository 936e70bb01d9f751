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
        const gitops = repository
          ? new AccountConfigService({
              repository,
              config: readGitopsConfig(config),
              logger,
            })
          : undefined;
        if (config.getOptionalBoolean('accounts.demoData')) {
          if ((await seedDemoAccounts(store, logger)) > 0) {
            exporter?.requestExport();
            await gitops?.seedDemoFleet(await store.allAccounts());
          }
        }
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
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
