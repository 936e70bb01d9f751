import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  Account,
  accountUpdatePermission,
} from '@fleet-portal/plugin-accounts-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl as baseUrl,
  errorResponse,
  setupAccountsBackend,
  testAccount,
} from '../../__testUtils__/accountsBackend';
import { AccountPage } from './AccountPage';

const { server, render, serveEnvironments } = setupAccountsBackend();

const northwind = testAccount({
  isUat: true,
  labels: { tier: 'gold' },
  services: [{ name: 'backend', values: { replicas: 3 } }, { name: 'engine' }],
});

function renderPage(
  name = 'northwind',
  permission?: (
    request: EvaluatePermissionRequest,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  return render(<AccountPage />, {
    mountPath: '/accounts/:name',
    path: `/accounts/${name}`,
    permission,
  });
}

/**
 * A stand-in for one account that the backend keeps: `GET` answers the
 * current version, `PATCH` answers `patch(body)` (by default: applies it when
 * the version matches, else 409). Records the PATCH bodies.
 */
function serveAccount(
  initial: Account,
  patch?: (body: any) => Response | undefined,
) {
  let current = initial;
  const patches: any[] = [];
  const url = `${baseUrl}/accounts/${initial.name}`;
  serveEnvironments();
  server.use(
    http.get(url, () => HttpResponse.json(current)),
    http.get(`${url}/history`, () => HttpResponse.json({ items: [] })),
    http.patch(url, async ({ request }) => {
      const body = (await request.json()) as any;
      patches.push(body);
      const answer = patch?.(body);
      if (answer) return answer;
      if (body.version !== current.version) {
        return errorResponse(409, 'stale');
      }
      const { version, ...changes } = body;
      current = { ...current, ...changes, version: version + 1 };
      return HttpResponse.json(current);
    }),
  );
  return {
    patches,
    /** Someone else changes the account. */
    changeElsewhere(changes: Partial<Account>) {
      current = { ...current, ...changes, version: current.version + 1 };
    },
  };
}

function dialog() {
  return within(screen.getByRole('dialog'));
}

async function openEditor() {
  fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
  await dialog().findByRole('option', { name: 'production' });
}

function typeInDialog(label: RegExp, value: string) {
  fireEvent.change(dialog().getByLabelText(label), { target: { value } });
}

function helperTextOf(label: RegExp) {
  const input = dialog().getByLabelText(label);
  const id = input.getAttribute('aria-describedby');
  return id ? document.getElementById(id)?.textContent : undefined;
}

describe('AccountPage', () => {
  it("shows the account's global configuration, services and history", async () => {
    server.use(
      http.get(`${baseUrl}/accounts/northwind`, () =>
        HttpResponse.json(northwind),
      ),
      http.get(`${baseUrl}/accounts/northwind/history`, () =>
        HttpResponse.json({
          items: [
            {
              account: 'northwind',
              version: 2,
              action: 'update',
              changedAt: '2026-11-22T10:30:00.000Z',
              changedBy: 'user:default/bob',
              changes: { isUat: { from: false, to: true } },
            },
            {
              account: 'northwind',
              version: 1,
              action: 'create',
              changedAt: '2026-11-20T09:00:00.000Z',
              changedBy: 'user:default/alice',
              changes: { environment: { to: 'production' } },
            },
          ],
        }),
      ),
    );
    await renderPage();
    expect(await screen.findByText('Northwind Traders')).toBeInTheDocument();
    expect(screen.getByText('production-eu')).toBeInTheDocument();
    expect(screen.getByText('tier=gold')).toBeInTheDocument();
    expect(
      screen.getByText('yes: receives release candidates'),
    ).toBeInTheDocument();
    expect(screen.getByText(/values \{"replicas":3\}/)).toBeInTheDocument();
    expect(screen.getByText(/environment defaults/)).toBeInTheDocument();
    expect(screen.getByText(/false → true/)).toBeInTheDocument();
    expect(screen.getByText('user:default/alice')).toBeInTheDocument();
    expect(screen.getByText('2026-11-22 10:30 UTC')).toBeInTheDocument();
  });

  it('shows the error for an account that does not exist', async () => {
    const notFound = () =>
      HttpResponse.json(
        {
          error: {
            name: 'NotFoundError',
            message: "No account named 'northwind'",
          },
          request: { method: 'GET', url: '/accounts/northwind' },
          response: { statusCode: 404 },
        },
        { status: 404 },
      );
    server.use(
      http.get(`${baseUrl}/accounts/northwind`, notFound),
      http.get(`${baseUrl}/accounts/northwind/history`, notFound),
    );
    await renderPage();
    expect(
      (await screen.findAllByText(/No account named 'northwind'/)).length,
    ).toBeGreaterThan(0);
  });

  it('changes the display name with the version read, and shows the result', async () => {
    const backend = serveAccount(testAccount({ version: 2 }));
    await renderPage();
    await openEditor();
    expect(dialog().getByLabelText(/^Display name/)).toHaveValue(
      'Northwind Traders',
    );
    // The name cannot change: it is not in the form.
    expect(dialog().queryByLabelText(/^Name/)).not.toBeInTheDocument();
    typeInDialog(/^Display name/, 'Northwind Trading');
    fireEvent.click(dialog().getByRole('button', { name: 'Save' }));

    expect(
      await screen.findByRole('heading', { name: 'Northwind Trading' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // Only what changed, with the version that was read.
    expect(backend.patches).toEqual([
      { displayName: 'Northwind Trading', version: 2 },
    ]);
  });

  it('shows a 400 next to its field in the editor, keeping the input', async () => {
    serveAccount(testAccount(), () =>
      errorResponse(
        400,
        'Invalid owner: must be a catalog group reference, e.g. group:default/platform',
      ),
    );
    await renderPage();
    await openEditor();
    typeInDialog(/^Display name/, 'Northwind Trading');
    typeInDialog(/^Owner/, 'platform');
    fireEvent.click(dialog().getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(helperTextOf(/^Owner/)).toBe(
        'must be a catalog group reference, e.g. group:default/platform',
      ),
    );
    expect(dialog().getByLabelText(/^Owner/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(dialog().getByLabelText(/^Owner/)).toHaveValue('platform');
    expect(dialog().getByLabelText(/^Display name/)).toHaveValue(
      'Northwind Trading',
    );
  });

  it('on a stale version keeps the edits until the user reloads', async () => {
    const backend = serveAccount(testAccount({ version: 2 }));
    await renderPage();
    await openEditor();
    backend.changeElsewhere({ displayName: 'Northwind (renamed)' });
    typeInDialog(/^Display name/, 'Northwind Trading');
    fireEvent.click(dialog().getByRole('button', { name: 'Save' }));

    expect(
      await dialog().findByText(/This account changed since it was loaded/),
    ).toBeInTheDocument();
    expect(dialog().getByLabelText(/^Display name/)).toHaveValue(
      'Northwind Trading',
    );
    expect(backend.patches).toEqual([
      { displayName: 'Northwind Trading', version: 2 },
    ]);

    // Reloading shows the latest version; saving again sends its version.
    fireEvent.click(
      dialog().getByRole('button', { name: 'Reload latest version' }),
    );
    await waitFor(() =>
      expect(dialog().getByLabelText(/^Display name/)).toHaveValue(
        'Northwind (renamed)',
      ),
    );
    expect(
      dialog().queryByText(/This account changed since it was loaded/),
    ).not.toBeInTheDocument();
    typeInDialog(/^Display name/, 'Northwind Trading');
    fireEvent.click(dialog().getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByRole('heading', { name: 'Northwind Trading' }),
    ).toBeInTheDocument();
    expect(backend.patches[1]).toEqual({
      displayName: 'Northwind Trading',
      version: 3,
    });
  });

  // usePermission keeps answers per permission and resource for the whole
  // file (SWR's cache), so each of these asks about an account of its own.
  it('asks the permission framework about updating this very account', async () => {
    serveAccount(testAccount({ name: 'contoso' }));
    const asked: EvaluatePermissionRequest[] = [];
    await renderPage('contoso', request => {
      asked.push(request);
      return AuthorizeResult.ALLOW;
    });
    expect(
      await screen.findByRole('button', { name: 'Edit' }),
    ).toBeInTheDocument();
    expect(asked).toContainEqual({
      permission: accountUpdatePermission,
      resourceRef: 'contoso',
    });
  });

  it('hides Edit when the permission policy denies updating the account', async () => {
    serveAccount(testAccount({ name: 'fabrikam', displayName: 'Fabrikam' }));
    await renderPage('fabrikam', request =>
      request.permission.name === accountUpdatePermission.name
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );
    expect(
      await screen.findByRole('heading', { name: 'Fabrikam' }),
    ).toBeInTheDocument();
    // Give the permission answer time to arrive.
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(
      screen.queryByRole('button', { name: 'Edit' }),
    ).not.toBeInTheDocument();
  });
});
