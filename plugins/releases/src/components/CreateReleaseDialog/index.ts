export { CreateReleaseDialog } from './CreateReleaseDialog';
export type { CreateReleaseDialogProps } from './CreateReleaseDialog';
