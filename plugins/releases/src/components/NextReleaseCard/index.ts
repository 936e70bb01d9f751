export { NextReleaseCard } from './NextReleaseCard';
