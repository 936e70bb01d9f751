import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCommitAccountConfigAction } from './actions/commitAccountConfig';
import { createCreateAccountAction } from './actions/createAccount';
import { createDeployAccountAction } from './actions/deployAccount';
import { createExportAccountsAction } from './actions/exportAccounts';
import { createGetAccountAction } from './actions/getAccount';
import { createProvisionAccountAction } from './actions/provisionAccount';
import { createWaitForAccountReadyAction } from './actions/waitForAccountReady';
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
        scaffolder.addActions(
          createGetAccountAction({ client }),
          createCreateAccountAction({ client }),
          createCommitAccountConfigAction({ client }),
          createExportAccountsAction({ client }),
          createProvisionAccountAction({ client }),
          createWaitForAccountReadyAction({ client }),
          createDeployAccountAction({ client }),
        );
      },
    });
  },
});
