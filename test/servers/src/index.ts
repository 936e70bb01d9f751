/**
 * Local servers that speak the HTTP APIs of the services Fleet Portal talks
 * to, so tests run the real clients against them.
 *
 * @packageDocumentation
 */

export * from './gcs/GcsTestServer';
export * from './github/GithubTestServer';
export * from './kubernetes/ClusterStore';
export * from './kubernetes/InMemoryClusterStore';
export * from './kubernetes/KubernetesTestServer';
export { FluxSimulator } from './kubernetes/FluxSimulator';
export type { FluxOptions } from './kubernetes/FluxSimulator';
export { servedKinds } from './kubernetes/kinds';
export type { ResourceKind } from './kubernetes/kinds';
