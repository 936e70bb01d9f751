import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  AccountPicker,
  accountPickerSchema,
  accountPickerValidation,
} from './components/AccountPicker';
import {
  FleetOptionPicker,
  fleetOptionPickerSchema,
  fleetOptionPickerValidation,
} from './components/FleetOptionPicker';

/*
 * The scaffolder form fields of Fleet Portal for the new frontend system,
 * loaded lazily by the plugin's FormFieldBlueprint extensions.
 */

/** `ui:field: AccountPicker`: an account of the registry, by name. */
export const accountPickerFormField = createFormField({
  name: 'AccountPicker',
  component: AccountPicker,
  validation: accountPickerValidation,
  schema: accountPickerSchema,
});

/** `ui:field: FleetOptionPicker`: environments, regions, clusters, services. */
export const fleetOptionPickerFormField = createFormField({
  name: 'FleetOptionPicker',
  component: FleetOptionPicker,
  validation: fleetOptionPickerValidation,
  schema: fleetOptionPickerSchema,
});
