import { fireEvent, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl as baseUrl,
  errorResponse,
  setupAccountsBackend,
  testAccount,
} from '../../__testUtils__/accountsBackend';
import { AccountsRouter } from '../AccountsRouter';

const { server, render, serveEnvironments } = setupAccountsBackend();

/** The form inside the plugin's routes, so that navigation really happens. */
async function renderForm() {
  serveEnvironments();
  await render(<AccountsRouter />, {
    mountPath: '/accounts',
    path: '/accounts/new',
  });
  // The environments are in once the select offers them.
  await screen.findByRole('option', { name: 'production' });
}

/** Answers `POST /accounts`; records the bodies received. */
function serveCreate(answer: (body: any) => Response) {
  const bodies: any[] = [];
  server.use(
    http.post(`${baseUrl}/accounts`, async ({ request }) => {
      const body = await request.json();
      bodies.push(body);
      return answer(body);
    }),
  );
  return bodies;
}

function type(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function submit() {
  fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
}

/** Fills in a valid account: production, EU, one label, two services. */
function fillIn() {
  type(/^Name/, 'contoso');
  type(/^Display name/, 'Contoso Ltd');
  type(/^Environment/, 'production');
  type(/^Region/, 'europe-west4');
  type(/^Cluster/, 'production-eu');
  type(/^GCP project/, 'acme-production-europe');
  type(/^Owner/, 'group:default/platform');
  fireEvent.click(screen.getByLabelText('UAT: receives release candidates'));
  fireEvent.click(screen.getByRole('button', { name: 'Add label' }));
  type(/^Label 1 key/, 'tier');
  type(/^Label 1 value/, 'gold');
  fireEvent.click(screen.getByRole('button', { name: 'Add service' }));
  type(/^Service 1 name/, 'backend');
  type(/^Service 1 values/, '{"replicas": 2}');
  fireEvent.click(screen.getByRole('button', { name: 'Add service' }));
  type(/^Service 2 name/, 'engine');
}

const contoso = testAccount({
  name: 'contoso',
  displayName: 'Contoso Ltd',
  isUat: true,
  labels: { tier: 'gold' },
  services: [{ name: 'backend', values: { replicas: 2 } }, { name: 'engine' }],
  version: 1,
});

/** The field's helper text (where its message is shown). */
function helperTextOf(label: RegExp) {
  const input = screen.getByLabelText(label);
  const id = input.getAttribute('aria-describedby');
  return id ? document.getElementById(id)?.textContent : undefined;
}

describe('CreateAccountPage', () => {
  it('sends what was typed and opens the new account', async () => {
    const bodies = serveCreate(() =>
      HttpResponse.json(contoso, { status: 201 }),
    );
    server.use(
      http.get(`${baseUrl}/accounts/contoso`, () => HttpResponse.json(contoso)),
      http.get(`${baseUrl}/accounts/contoso/history`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderForm();
    fillIn();
    submit();

    // The account's page, reached at /accounts/contoso.
    expect(await screen.findByText('Global configuration')).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Contoso Ltd' }),
    ).toBeInTheDocument();
    expect(bodies).toEqual([
      {
        name: 'contoso',
        displayName: 'Contoso Ltd',
        environment: 'production',
        region: 'europe-west4',
        cluster: 'production-eu',
        gcpProject: 'acme-production-europe',
        owner: 'group:default/platform',
        isUat: true,
        active: true,
        labels: { tier: 'gold' },
        services: [
          { name: 'backend', values: { replicas: 2 } },
          { name: 'engine' },
        ],
      },
    ]);
  });

  it('narrows regions and clusters to the chosen environment', async () => {
    await renderForm();
    type(/^Environment/, 'staging');
    // Staging has one region and one cluster: both are chosen.
    expect(screen.getByLabelText(/^Region/)).toHaveValue('europe-west4');
    expect(screen.getByLabelText(/^Cluster/)).toHaveValue('staging-eu');
    type(/^Environment/, 'production');
    type(/^Region/, 'us-central1');
    expect(screen.getByLabelText(/^Cluster/)).toHaveValue('production-us');
    const clusters = screen
      .getAllByRole('option')
      .map(option => option.textContent);
    expect(clusters).toContain('production-us');
    expect(clusters).not.toContain('production-eu');
    expect(clusters).not.toContain('staging-eu');
  });

  it.each([
    ['Invalid name: must be at most 40 characters', /^Name/],
    [
      "Invalid cluster: cluster 'production-us' runs in region 'us-central1', not 'europe-west4'",
      /^Cluster/,
    ],
    [
      'Invalid gcpProject: must be a GCP project id: 6–30 lowercase letters, digits and dashes, starting with a letter',
      /^GCP project/,
    ],
    ['Invalid labels.tier: must be a Kubernetes label value', /^Label 1 value/],
    ['Invalid labels.tier: Invalid key in record', /^Label 1 key/],
    ['Invalid services.1.name: must be a DNS-1123 label', /^Service 2 name/],
    [
      'Invalid services.0.values: must be at most 32768 bytes as JSON',
      /^Service 1 values/,
    ],
  ])(
    'shows the 400 "%s" next to its field, keeping the input',
    async (message, label) => {
      const bodies = serveCreate(() => errorResponse(400, message));
      await renderForm();
      fillIn();
      submit();

      const problem = message.slice(message.indexOf(': ') + 2);
      await waitFor(() => expect(helperTextOf(label)).toBe(problem));
      expect(screen.getByLabelText(label)).toHaveAttribute(
        'aria-invalid',
        'true',
      );
      // Only that field is marked.
      expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(
        1,
      );
      // Nothing typed is lost.
      expect(screen.getByLabelText(/^Name/)).toHaveValue('contoso');
      expect(screen.getByLabelText(/^Display name/)).toHaveValue('Contoso Ltd');
      expect(screen.getByLabelText(/^Cluster/)).toHaveValue('production-eu');
      expect(screen.getByLabelText(/^Label 1 key/)).toHaveValue('tier');
      expect(screen.getByLabelText(/^Service 1 values/)).toHaveValue(
        '{"replicas": 2}',
      );
      expect(
        screen.getByLabelText('UAT: receives release candidates'),
      ).toBeChecked();
      expect(bodies).toHaveLength(1);
    },
  );

  it('maps a service message to its row when blank rows were left out', async () => {
    const bodies = serveCreate(() =>
      errorResponse(400, 'Invalid services.0.name: must be a DNS-1123 label'),
    );
    await renderForm();
    fillIn();
    // A blank first row is not sent: the backend's services.0 is row 2.
    type(/^Service 1 name/, '');
    type(/^Service 1 values/, '');
    submit();
    await waitFor(() =>
      expect(helperTextOf(/^Service 2 name/)).toBe('must be a DNS-1123 label'),
    );
    expect(bodies[0].services).toEqual([{ name: 'engine' }]);
  });

  it('says an account with that name exists on a 409', async () => {
    serveCreate(() => errorResponse(409, "Account 'contoso' already exists"));
    await renderForm();
    fillIn();
    submit();
    await waitFor(() =>
      expect(helperTextOf(/^Name/)).toBe('An account with that name exists'),
    );
    expect(screen.getByLabelText(/^Name/)).toHaveValue('contoso');
  });

  it('says the user may not create the account on a 403', async () => {
    serveCreate(() =>
      errorResponse(403, 'Not allowed: accounts.account.create'),
    );
    await renderForm();
    fillIn();
    submit();
    expect(
      await screen.findByText(
        /You are not allowed to create this account: the permission policy refused it \(Not allowed: accounts.account.create\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/^Display name/)).toHaveValue('Contoso Ltd');
  });

  it('shows progress and sends the form once however often it is submitted', async () => {
    let answer: () => void = () => {};
    const answered = new Promise<void>(resolve => {
      answer = resolve;
    });
    const bodies = serveCreate(() => errorResponse(409, 'exists'));
    server.use(
      http.post(`${baseUrl}/accounts`, async ({ request }) => {
        bodies.push(await request.json());
        await answered;
        return errorResponse(409, 'exists');
      }),
    );
    await renderForm();
    fillIn();
    const form = screen.getByRole('form', { name: 'Create account' });
    fireEvent.submit(form);
    fireEvent.submit(form);
    const busy = await screen.findByRole('button', { name: /Creating/ });
    expect(busy).toBeDisabled();
    expect(screen.getByLabelText(/^Name/)).toBeDisabled();
    fireEvent.submit(form);
    answer();
    await waitFor(() =>
      expect(helperTextOf(/^Name/)).toBe('An account with that name exists'),
    );
    expect(bodies).toHaveLength(1);
  });

  it('refuses values that are not a JSON object before sending', async () => {
    const bodies = serveCreate(() =>
      HttpResponse.json(contoso, { status: 201 }),
    );
    await renderForm();
    fillIn();
    type(/^Service 1 values/, 'replicas: 2');
    submit();
    await waitFor(() =>
      expect(helperTextOf(/^Service 1 values/)).toBe(
        'must be JSON, e.g. {"replicas": 2}',
      ),
    );
    expect(bodies).toHaveLength(0);
  });
});
