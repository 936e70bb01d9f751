export { AccountConfigCard } from './AccountConfigCard';
export type { AccountConfigCardProps } from './AccountConfigCard';
