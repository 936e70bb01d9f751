import { mockApis } from '@backstage/frontend-test-utils';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl as baseUrl,
  errorResponse,
  setupAccountsBackend,
  testAccount,
} from '../../__testUtils__/accountsBackend';
import { ScaffolderForm } from '../../__testUtils__/scaffolderForm';
import { AccountsClient, accountsApiRef } from '../../api';
import { accountPickerValidation } from './AccountPicker';

const { server, render } = setupAccountsBackend();

const accounts = [
  testAccount(),
  testAccount({
    name: 'northwind-uat',
    displayName: 'Northwind (UAT)',
    environment: 'staging',
    cluster: 'staging-eu',
  }),
  testAccount({ name: 'globex', displayName: 'Globex' }),
];

/**
 * Answers `GET /accounts` from {@link accounts}, matching `q` on name and
 * display name as the registry does (records the queries), and
 * `GET /accounts/{name}`.
 */
function serveSearch() {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(`${baseUrl}/accounts`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      queries.push(query);
      const q = (query.get('q') ?? '').toLowerCase();
      const items = accounts.filter(
        a =>
          (!q || `${a.name} ${a.displayName}`.toLowerCase().includes(q)) &&
          (!query.get('environment') ||
            a.environment === query.get('environment')),
      );
      return HttpResponse.json({ items, totalCount: items.length });
    }),
    http.get(`${baseUrl}/accounts/:name`, ({ params }) => {
      const account = accounts.find(a => a.name === params.name);
      return account
        ? HttpResponse.json(account)
        : errorResponse(404, `No account named '${params.name}'`);
    }),
  );
  return queries;
}

async function renderPicker(options: Record<string, unknown> = {}) {
  const created: Array<Record<string, unknown>> = [];
  await render(
    <ScaffolderForm
      properties={{
        account: {
          title: 'Account',
          type: 'string',
          'ui:field': 'AccountPicker',
          'ui:options': options,
        },
      }}
      required={['account']}
      created={created}
    />,
  );
  return created;
}

function search(text: string) {
  const input = screen.getByRole('combobox', { name: /^Account/ });
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: text } });
}

describe('AccountPicker', () => {
  it('searches the registry as the user types and submits the name chosen', async () => {
    const queries = serveSearch();
    const created = await renderPicker();

    search('north');
    // Once the typing pauses, only the matches are offered.
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    expect(
      screen.getByRole('option', { name: /northwind-uat/ }),
    ).toHaveTextContent('Northwind (UAT) · staging · staging-eu');
    expect(queries.at(-1)?.get('q')).toBe('north');

    fireEvent.click(screen.getByRole('option', { name: /northwind-uat/ }));
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: /^Account/ })).toHaveValue(
      'northwind-uat',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create' }));
    await waitFor(() =>
      expect(created).toEqual([{ account: 'northwind-uat' }]),
    );
  });

  it('offers only accounts of the environment in its options', async () => {
    const queries = serveSearch();
    await renderPicker({ environment: 'staging' });
    search('north');
    await waitFor(() => expect(queries.at(-1)?.get('q')).toBe('north'));
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(1));
    screen.getByRole('option', { name: /northwind-uat/ });
    expect(queries.at(-1)?.get('environment')).toBe('staging');
  });

  it('keeps the form from going on with a name typed but not chosen', async () => {
    serveSearch();
    const created = await renderPicker();
    search('nobody');
    expect(
      await screen.findByText("No account matches 'nobody'"),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    expect(
      await screen.findByText(
        "'Account' must have required property 'Account'",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create' })).toBeNull();
    expect(created).toEqual([]);
  });

  it("shows the backend's message when the search fails", async () => {
    server.use(
      http.get(`${baseUrl}/accounts`, () =>
        errorResponse(403, 'Not allowed: accounts.account.read'),
      ),
    );
    await renderPicker();
    search('north');
    expect(
      await screen.findByText(
        'Could not search the accounts: Not allowed: accounts.account.read',
      ),
    ).toBeInTheDocument();
  });

  describe('validation', () => {
    const client = new AccountsClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: mockApis.fetch(),
    });
    const apiHolder = {
      get: (ref: { id: string }) =>
        ref.id === accountsApiRef.id ? client : undefined,
    } as any;

    async function validate(value: string) {
      const validation = createFieldValidation();
      await accountPickerValidation(value, validation, {
        apiHolder,
        formData: {},
        schema: {},
      });
      return validation.__errors;
    }

    it('accepts an account the user can read and refuses an unknown one', async () => {
      server.use(
        http.get(`${baseUrl}/accounts/northwind`, () =>
          HttpResponse.json(testAccount()),
        ),
        http.get(`${baseUrl}/accounts/nobody`, () =>
          errorResponse(404, "No account named 'nobody'"),
        ),
      );
      expect(await validate('northwind')).toEqual([]);
      expect(await validate('nobody')).toEqual(["No account named 'nobody'"]);
    });

    it('says why an account could not be checked', async () => {
      server.use(
        http.get(`${baseUrl}/accounts/northwind`, () =>
          errorResponse(403, 'Not allowed: accounts.account.read'),
        ),
      );
      expect(await validate('northwind')).toEqual([
        "Could not check account 'northwind': Not allowed: accounts.account.read",
      ]);
    });
  });
});
