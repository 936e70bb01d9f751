export { AccountsRouter } from './AccountsRouter';
