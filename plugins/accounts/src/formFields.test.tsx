import { createExtensionTester } from '@backstage/frontend-test-utils';
import { renderInTestApp } from '@backstage/test-utils';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { screen } from '@testing-library/react';
import {
  accountPickerFormField,
  fleetOptionPickerFormField,
} from './formFields';
import {
  AccountPicker,
  AccountPickerFieldExtension,
  FleetOptionPicker,
  FleetOptionPickerFieldExtension,
  accountPickerValidation,
  fleetOptionPickerValidation,
} from '.';
import accountsPlugin from '.';

describe('scaffolder form fields', () => {
  it('the new frontend system gets both from the plugin', async () => {
    const accountPicker = createExtensionTester(
      accountsPlugin.getExtension(
        'scaffolder-form-field:accounts/account-picker',
      ),
    ).get(FormFieldBlueprint.dataRefs.formFieldLoader);
    const fleetOptionPicker = createExtensionTester(
      accountsPlugin.getExtension(
        'scaffolder-form-field:accounts/fleet-option-picker',
      ),
    ).get(FormFieldBlueprint.dataRefs.formFieldLoader);
    expect(await accountPicker()).toBe(accountPickerFormField);
    expect(await fleetOptionPicker()).toBe(fleetOptionPickerFormField);
  });

  it('the legacy frontend system gets both from the package', async () => {
    const outlet = (
      <ScaffolderFieldExtensions>
        <AccountPickerFieldExtension />
        <FleetOptionPickerFieldExtension />
      </ScaffolderFieldExtensions>
    );
    let found: Array<{
      name: string;
      component: unknown;
      validation?: unknown;
    }> = [];
    function Probe() {
      found = useCustomFieldExtensions(outlet);
      return <span>{found.map(f => f.name).join(', ')}</span>;
    }
    await renderInTestApp(<Probe />);
    expect(
      screen.getByText('AccountPicker, FleetOptionPicker'),
    ).toBeInTheDocument();
    expect(found).toEqual([
      expect.objectContaining({
        component: AccountPicker,
        validation: accountPickerValidation,
      }),
      expect.objectContaining({
        component: FleetOptionPicker,
        validation: fleetOptionPickerValidation,
      }),
    ]);
  });
});
