export { CreateAccountPage } from './CreateAccountPage';
