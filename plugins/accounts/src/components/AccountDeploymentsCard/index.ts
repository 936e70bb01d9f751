export {
  AccountDeploymentsCard,
  deployTemplateUrl,
} from './AccountDeploymentsCard';
