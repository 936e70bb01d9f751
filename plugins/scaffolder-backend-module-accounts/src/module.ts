import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createGetAccountAction } from './actions/getAccount';
import { AccountsBackendClient } from './client/AccountsBackendClient';

/**
 * The Fleet Portal scaffolder actions (`accounts:*`). Each is a thin client of
 * the accounts backend, called on behalf of the user who started the task.
 *
 * @public
 */
export const scaffolderModuleAccounts = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'accounts',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, auth, discovery }) {
        const client = new AccountsBackendClient({ auth, discovery });
        scaffolder.addActions(createGetAccountAction({ client }));
      },
    });
  },
});
