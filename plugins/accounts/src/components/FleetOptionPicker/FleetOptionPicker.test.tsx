import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { mockApis } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl as baseUrl,
  errorResponse,
  setupAccountsBackend,
} from '../../__testUtils__/accountsBackend';
import {
  ScaffolderForm,
  serveFleetOptions,
} from '../../__testUtils__/scaffolderForm';
import { AccountsClient, accountsApiRef } from '../../api';
import { fleetOptionPickerValidation } from './FleetOptionPicker';

const { server, render, serveEnvironments } = setupAccountsBackend();

/** The placement page of the new-account template. */
const placement = {
  environment: {
    title: 'Environment',
    type: 'string',
    'ui:field': 'FleetOptionPicker',
    'ui:options': { source: 'environments' },
  },
  region: {
    title: 'Region',
    type: 'string',
    'ui:field': 'FleetOptionPicker',
    'ui:options': { source: 'regions' },
  },
  cluster: {
    title: 'Cluster',
    type: 'string',
    'ui:field': 'FleetOptionPicker',
    'ui:options': { source: 'clusters' },
  },
  services: {
    title: 'Services',
    type: 'array',
    items: { type: 'string' },
    'ui:field': 'FleetOptionPicker',
    'ui:options': { source: 'services' },
  },
};

async function renderPlacement(initialState?: Record<string, string>) {
  const created: Array<Record<string, unknown>> = [];
  await render(
    <ScaffolderForm
      properties={placement}
      required={['environment', 'region', 'cluster']}
      initialState={initialState}
      created={created}
    />,
  );
  return created;
}

function select(label: RegExp) {
  return screen.getByLabelText(label) as HTMLSelectElement;
}

function optionsOf(label: RegExp) {
  return within(select(label))
    .getAllByRole('option')
    .map(o => o.textContent);
}

function choose(label: RegExp, value: string) {
  fireEvent.change(select(label), { target: { value } });
}

describe('FleetOptionPicker', () => {
  it('lists regions and clusters of the environment chosen and submits the choices', async () => {
    serveEnvironments();
    serveFleetOptions(server);
    const created = await renderPlacement();

    await screen.findByRole('option', { name: 'production' });
    expect(optionsOf(/^Environment/)).toEqual([
      'Choose…',
      'staging',
      'production',
    ]);
    expect(select(/^Region/)).toBeDisabled();
    expect(screen.getAllByText('Choose an environment first')).toHaveLength(2);

    choose(/^Environment/, 'production');
    await screen.findByRole('option', { name: 'us-central1' });
    expect(optionsOf(/^Region/)).toEqual([
      'Choose…',
      'europe-west4',
      'us-central1',
    ]);
    expect(optionsOf(/^Cluster/)).toEqual([
      'Choose…',
      'production-eu',
      'production-us (simulated)',
    ]);

    // A region narrows the clusters to those running there.
    choose(/^Region/, 'us-central1');
    await waitFor(() =>
      expect(optionsOf(/^Cluster/)).toEqual([
        'Choose…',
        'production-us (simulated)',
      ]),
    );
    choose(/^Cluster/, 'production-us');
    fireEvent.click(await screen.findByRole('checkbox', { name: 'engine' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'backend' }));

    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create' }));
    await waitFor(() => expect(created).toHaveLength(1));
    expect(created[0]).toEqual({
      environment: 'production',
      region: 'us-central1',
      cluster: 'production-us',
      services: ['engine', 'backend'],
    });
  });

  it('drops a region and cluster that do not fit a newly chosen environment', async () => {
    serveEnvironments();
    serveFleetOptions(server);
    const created = await renderPlacement();
    await screen.findByRole('option', { name: 'production' });
    choose(/^Environment/, 'production');
    await screen.findByRole('option', { name: 'us-central1' });
    choose(/^Region/, 'us-central1');
    await waitFor(() => expect(optionsOf(/^Cluster/)).toHaveLength(2));
    choose(/^Cluster/, 'production-us');

    choose(/^Environment/, 'staging');
    await waitFor(() => expect(select(/^Region/).value).toBe(''));
    await waitFor(() => expect(select(/^Cluster/).value).toBe(''));
    await waitFor(() =>
      expect(optionsOf(/^Cluster/)).toEqual([
        'Choose…',
        'staging-eu (simulated)',
      ]),
    );

    // Nothing of the production choices is left in what the form sends.
    choose(/^Region/, 'europe-west4');
    choose(/^Cluster/, 'staging-eu');
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create' }));
    await waitFor(() => expect(created).toHaveLength(1));
    expect(created[0]).toMatchObject({
      environment: 'staging',
      region: 'europe-west4',
      cluster: 'staging-eu',
    });
  });

  it('says so when the backend cannot list the clusters', async () => {
    serveEnvironments();
    server.use(
      http.get(`${baseUrl}/clusters`, () =>
        errorResponse(500, 'cluster configuration unreadable'),
      ),
      http.get(`${baseUrl}/services`, () => HttpResponse.json({ items: [] })),
    );
    await renderPlacement({ environment: 'production' });
    expect(
      await screen.findByText(
        'Could not load the clusters: cluster configuration unreadable',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('No services configured')).toBeInTheDocument();
  });

  describe('validation', () => {
    const apiHolder = {
      get: (ref: { id: string }) =>
        ref.id === accountsApiRef.id
          ? new AccountsClient({
              discoveryApi: mockApis.discovery({
                baseUrl: 'http://localhost:7007',
              }),
              fetchApi: mockApis.fetch(),
            })
          : undefined,
    } as any;

    async function validate(
      value: string | string[],
      options: Record<string, unknown>,
      formData: Record<string, unknown>,
    ) {
      const validation = createFieldValidation();
      await fleetOptionPickerValidation(value, validation, {
        apiHolder,
        formData: formData as any,
        schema: {},
        uiSchema: { 'ui:options': options as any },
      });
      return validation.__errors;
    }

    it('refuses a region that is not one of the environment', async () => {
      serveEnvironments();
      expect(
        await validate(
          'us-central1',
          { source: 'regions' },
          { environment: 'staging' },
        ),
      ).toEqual([
        "'us-central1' is not one of the configured regions of environment 'staging'",
      ]);
      expect(
        await validate(
          'us-central1',
          { source: 'regions', environmentField: 'env' },
          { env: 'production' },
        ),
      ).toEqual([]);
    });

    it('refuses an unknown service and a template without a source', async () => {
      serveFleetOptions(server);
      expect(
        await validate(['backend', 'billing'], { source: 'services' }, {}),
      ).toEqual(["'billing' is not one of the configured services"]);
      expect(await validate('x', { source: 'teams' }, {})).toEqual([
        'ui:options.source must be one of environments, regions, clusters, services',
      ]);
    });
  });
});
