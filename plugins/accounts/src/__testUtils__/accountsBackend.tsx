import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { setupServer } from 'msw/node';
import { AccountsClient, accountsApiRef } from '../api';

/** Where the tests' accounts backend answers. */
export const accountsBaseUrl = 'http://localhost:7007/api/accounts';

/**
 * An HTTP stand-in for the accounts backend (msw, failing on any request it
 * has no handler for), and a renderer that puts an element in a test app
 * with the real `AccountsClient` talking to it. Call at the top of a file.
 */
export function setupAccountsBackend() {
  const server = setupServer();
  registerMswTestHooks(server);

  function render(
    element: JSX.Element,
    options: { mountPath?: string; path?: string } = {},
  ) {
    const client = new AccountsClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: mockApis.fetch(),
    });
    return renderInTestApp(element, {
      apis: [[accountsApiRef, client]],
      mountPath: options.mountPath,
      initialRouteEntries: options.path ? [options.path] : undefined,
    });
  }

  return { server, render };
}
