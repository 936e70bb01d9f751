import { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { ClusterInfo } from '@fleet-portal/plugin-accounts-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  AccountPicker,
  accountPickerValidation,
} from '../components/AccountPicker';
import {
  FleetOptionPicker,
  fleetOptionPickerValidation,
} from '../components/FleetOptionPicker';
import { accountsBaseUrl } from './accountsBackend';

/** The clusters the tests' backend has: two of them simulated. */
export const testClusters: ClusterInfo[] = [
  {
    name: 'staging-eu',
    environment: 'staging',
    region: 'europe-west4',
    simulated: true,
  },
  {
    name: 'production-eu',
    environment: 'production',
    region: 'europe-west4',
    simulated: false,
  },
  {
    name: 'production-us',
    environment: 'production',
    region: 'us-central1',
    simulated: true,
  },
];

/** Answers `GET /clusters` and `GET /services` as a configured backend. */
export function serveFleetOptions(server: ReturnType<typeof setupServer>) {
  server.use(
    http.get(`${accountsBaseUrl}/clusters`, () =>
      HttpResponse.json({ items: testClusters }),
    ),
    http.get(`${accountsBaseUrl}/services`, () =>
      HttpResponse.json({
        items: [{ name: 'admin' }, { name: 'backend' }, { name: 'engine' }],
      }),
    ),
  );
}

/** The Fleet Portal fields as the scaffolder's form gets them. */
const fields: FieldExtensionOptions<any, any>[] = [
  {
    name: 'AccountPicker',
    component: AccountPicker,
    validation: accountPickerValidation,
  },
  {
    name: 'FleetOptionPicker',
    component: FleetOptionPicker,
    validation: fleetOptionPickerValidation,
  },
];

/**
 * The scaffolder's own form (its `Stepper`) with one page of the given
 * properties and the Fleet Portal fields. `created` receives the values the
 * form submits on Create.
 */
export function ScaffolderForm(props: {
  /** JSON schema properties, with `ui:` keys. */
  properties: Record<string, any>;
  required?: string[];
  initialState?: Record<string, string>;
  created: Array<Record<string, unknown>>;
}) {
  return (
    <Stepper
      manifest={{
        title: 'Test template',
        steps: [
          {
            title: 'Page',
            schema: {
              type: 'object',
              required: props.required ?? [],
              properties: props.properties,
            },
          },
        ],
      }}
      extensions={fields}
      initialState={props.initialState}
      onCreate={async values => {
        props.created.push(values);
      }}
    />
  );
}
