export {
  AccountPicker,
  accountPickerSchema,
  accountPickerValidation,
} from './AccountPicker';
export type {
  AccountPickerProps,
  AccountPickerUiOptions,
} from './AccountPicker';
