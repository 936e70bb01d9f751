/**
 * Types and permissions shared by the Fleet Portal accounts plugins.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './permissions';
export * from './gitops';
export * from './workflows';
export * from './fleet';
export * from './releases';
