import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { accountsPermissions } from '@fleet-portal/plugin-accounts-common';
import { DatabaseAccountsStore } from './registry/DatabaseAccountsStore';
import { seedDemoAccounts } from './registry/demoAccounts';
import { readEnvironments } from './registry/environments';
import { createRouter } from './service/router';

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
        database,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
      }) {
        permissionsRegistry.addPermissions(accountsPermissions);
        const store = await DatabaseAccountsStore.create({ database });
        if (config.getOptionalBoolean('accounts.demoData')) {
          await seedDemoAccounts(store, logger);
        }
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            auditor,
            store,
            environments: readEnvironments(config),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
