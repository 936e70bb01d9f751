import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  AccountStatus,
  FluxActionResult,
  accountFluxReconcilePermission,
} from '@fleet-portal/plugin-accounts-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl as baseUrl,
  errorResponse,
  setupAccountsBackend,
  testAccount,
} from '../../__testUtils__/accountsBackend';
import { testAccountStatus, testRelease } from '../../__testUtils__/fleet';
import { AccountHealthCard } from './AccountHealthCard';

const { server, render } = setupAccountsBackend();

/**
 * A stand-in for the account's status and its Flux actions. An action
 * answers `answer(path, body)` when given, else handled; suspend and resume
 * change what the next status read says. Records the actions and counts
 * the status reads.
 */
function serveFlux(
  answer?: (path: string, body: unknown) => Response | Promise<Response>,
  name = 'northwind',
) {
  let status: AccountStatus = testAccountStatus({ account: name });
  const recorded = {
    reads: 0,
    actions: [] as Array<{ path: string; body: unknown }>,
  };
  const url = `${baseUrl}/accounts/${name}`;
  const act = async ({ request }: { request: Request }) => {
    const path = new URL(request.url).pathname.replace(
      `/api/accounts/accounts/${name}/`,
      '',
    );
    const body = await request.json();
    recorded.actions.push({ path, body });
    if (answer) return answer(path, body);
    const action = path.split('/').pop() as FluxActionResult['action'];
    if (action !== 'reconcile') {
      const suspended = action === 'suspend';
      status = {
        ...status,
        releases: status.releases.map(r => ({ ...r, suspended })),
      };
    }
    const result: FluxActionResult = {
      account: 'northwind',
      kind: path.startsWith('kustomization') ? 'Kustomization' : 'HelmRelease',
      namespace: 'northwind',
      name: 'backend',
      action,
      handled: true,
      suspended: false,
      message: 'Helm upgrade succeeded',
    };
    return HttpResponse.json(result);
  };
  server.use(
    http.get(`${url}/status`, () => {
      recorded.reads++;
      return HttpResponse.json(status);
    }),
    http.post(`${url}/helmreleases/:release/:action`, act),
    http.post(`${url}/kustomization/:action`, act),
  );
  return recorded;
}

function renderCard(
  permission?: (
    request: EvaluatePermissionRequest,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  name = 'northwind',
) {
  return render(<AccountHealthCard account={testAccount({ name })} />, {
    permission,
  });
}

const result = (object: string) =>
  screen.findByRole('status', { name: `Result for ${object}` });

describe('AccountHealthCard Flux actions', () => {
  it('reconciles a HelmRelease, shows that Flux handled it and reads the status again', async () => {
    const recorded = serveFlux();
    await renderCard();
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Reconcile HelmRelease backend',
      }),
    );
    expect(await result('HelmRelease backend')).toHaveTextContent(
      'Reconcile handled: Helm upgrade succeeded',
    );
    expect(recorded.actions).toEqual([
      { path: 'helmreleases/backend/reconcile', body: {} },
    ]);
    await waitFor(() => expect(recorded.reads).toBe(2));
  });

  it('reconciles with force from the menu, and says when Flux has not handled it yet', async () => {
    const recorded = serveFlux(() =>
      HttpResponse.json({
        handled: false,
        message: 'Waited 10 s for Flux',
      }),
    );
    await renderCard();
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Reconcile options for HelmRelease backend',
      }),
    );
    fireEvent.click(await screen.findByText('Reconcile with force'));
    expect(await result('HelmRelease backend')).toHaveTextContent(
      'Reconcile requested; Flux has not handled it yet. Waited 10 s for Flux',
    );
    expect(recorded.actions).toEqual([
      { path: 'helmreleases/backend/reconcile', body: { force: true } },
    ]);
  });

  it('suspends and resumes a HelmRelease, following its status', async () => {
    const recorded = serveFlux();
    await renderCard();
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Suspend HelmRelease backend',
      }),
    );
    const resume = await screen.findByRole('button', {
      name: 'Resume HelmRelease backend',
    });
    expect(
      screen.queryByRole('button', { name: 'Suspend HelmRelease backend' }),
    ).not.toBeInTheDocument();
    expect(await result('HelmRelease backend')).toHaveTextContent(
      'Suspend handled',
    );
    fireEvent.click(resume);
    expect(
      await screen.findByRole('button', {
        name: 'Suspend HelmRelease backend',
      }),
    ).toBeInTheDocument();
    expect(recorded.actions.map(a => a.path)).toEqual([
      'helmreleases/backend/suspend',
      'helmreleases/backend/resume',
    ]);
  });

  it('reconciles the Kustomization, which has no options', async () => {
    const recorded = serveFlux();
    await renderCard();
    const ks = within(
      await screen.findByRole('region', { name: 'Kustomization' }),
    );
    expect(
      ks.queryByRole('button', { name: /Reconcile options/ }),
    ).not.toBeInTheDocument();
    fireEvent.click(
      ks.getByRole('button', { name: 'Reconcile Kustomization' }),
    );
    expect(await result('Kustomization')).toHaveTextContent(
      'Reconcile handled',
    );
    expect(recorded.actions).toEqual([
      { path: 'kustomization/reconcile', body: {} },
    ]);
  });

  it('disables the actions while one runs', async () => {
    let finish: (response: Response) => void = () => {};
    serveFlux(() => new Promise<Response>(resolve => (finish = resolve)));
    await renderCard();
    const reconcile = await screen.findByRole('button', {
      name: 'Reconcile HelmRelease backend',
    });
    fireEvent.click(reconcile);
    await waitFor(() => expect(reconcile).toBeDisabled());
    expect(
      screen.getByRole('button', { name: 'Suspend HelmRelease backend' }),
    ).toBeDisabled();
    expect(
      screen.getByText('Reconcile: waiting for Flux…'),
    ).toBeInTheDocument();
    finish(HttpResponse.json({ handled: true, message: 'done' }));
    await waitFor(() => expect(reconcile).toBeEnabled());
  });

  it("shows the backend's message when reconciling a suspended object", async () => {
    serveFlux(() =>
      errorResponse(
        409,
        'HelmRelease northwind/backend is suspended: resume it first',
      ),
    );
    await renderCard();
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Reconcile HelmRelease backend',
      }),
    );
    expect(await result('HelmRelease backend')).toHaveTextContent(
      'Reconcile failed: HelmRelease northwind/backend is suspended: resume it first',
    );
  });

  it('shows a refusal of the permission policy', async () => {
    serveFlux(() => errorResponse(403, 'Not allowed: accounts.flux.suspend'));
    await renderCard();
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Suspend HelmRelease backend',
      }),
    );
    expect(await result('HelmRelease backend')).toHaveTextContent(
      'Suspend failed: Not allowed: accounts.flux.suspend',
    );
  });

  // The permission hook caches answers by permission and account for a few
  // seconds, across tests: these tests ask about accounts of their own.
  it('shows no action to those not allowed any', async () => {
    serveFlux(undefined, 'tailspin');
    await renderCard(() => AuthorizeResult.DENY, 'tailspin');
    await screen.findByRole('region', { name: 'HelmRelease backend' });
    expect(
      screen.queryAllByRole('group', { name: /Flux actions/ }),
    ).toHaveLength(0);
    expect(
      screen.queryByRole('button', { name: /Reconcile|Suspend|Resume/ }),
    ).toBeNull();
  });

  it('shows only the actions allowed', async () => {
    serveFlux(undefined, 'fabrikam');
    server.use(
      http.get(`${baseUrl}/accounts/fabrikam/status`, () =>
        HttpResponse.json(
          testAccountStatus({
            account: 'fabrikam',
            releases: [testRelease({ suspended: true })],
          }),
        ),
      ),
    );
    await renderCard(
      request =>
        request.permission.name === accountFluxReconcilePermission.name
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      'fabrikam',
    );
    expect(
      await screen.findByRole('button', {
        name: 'Reconcile HelmRelease backend',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryAllByRole('button', { name: /Resume|Suspend/ }),
    ).toHaveLength(0);
    expect(
      screen.getByRole('button', { name: 'Reconcile Kustomization' }),
    ).toBeInTheDocument();
  });
});
