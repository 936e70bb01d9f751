export { AccountForm, clustersOf, regionsOf } from './AccountForm';
export type { AccountFormProps } from './AccountForm';
export {
  emptyAccountForm,
  fieldOfMessage,
  formValuesOf,
  toRequest,
} from './formValues';
export type {
  AccountFields,
  AccountFormValues,
  FieldErrors,
  FormRequest,
} from './formValues';
export { serverError } from './submitError';
