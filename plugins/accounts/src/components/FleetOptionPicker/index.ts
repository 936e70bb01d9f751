export {
  FleetOptionPicker,
  fleetOptionPickerSchema,
  fleetOptionPickerValidation,
} from './FleetOptionPicker';
export type { FleetOptionPickerProps } from './FleetOptionPicker';
export type {
  FleetOptionPickerUiOptions,
  FleetOptionSource,
} from './fleetOptions';
