export { EditAccountDialog } from './EditAccountDialog';
export type { EditAccountDialogProps } from './EditAccountDialog';
