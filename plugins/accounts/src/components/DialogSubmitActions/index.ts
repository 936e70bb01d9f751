export { DialogSubmitActions } from './DialogSubmitActions';
