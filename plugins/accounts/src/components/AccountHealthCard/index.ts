export { AccountHealthCard } from './AccountHealthCard';
