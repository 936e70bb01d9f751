import { Config } from '@backstage/config';

/**
 * An environment accounts are deployed to, from `accounts.environments` in
 * app-config.yaml.
 *
 * @public
 */
export interface EnvironmentConfig {
  name: string;
  /** Regions accounts of this environment may live in. */
  regions: string[];
  /** Clusters accounts of this environment may be deployed to. */
  clusters: Array<{
    name: string;
    region?: string;
    /** Served by the local cluster simulator; present only when configured. */
    simulated?: boolean;
  }>;
}

/** Reads `accounts.environments`; an absent list means no environments. */
export function readEnvironments(config: Config): EnvironmentConfig[] {
  return (config.getOptionalConfigArray('accounts.environments') ?? []).map(
    env => ({
      name: env.getString('name'),
      regions: env.getOptionalStringArray('regions') ?? [],
      // Connection settings (kubeconfig, timeout) stay out: this list is
      // served to the browser. The cluster side reads them itself.
      clusters: (env.getOptionalConfigArray('clusters') ?? []).map(c => {
        const simulated = c.getOptionalBoolean('simulated');
        return {
          name: c.getString('name'),
          region: c.getOptionalString('region'),
          ...(simulated !== undefined && { simulated }),
        };
      }),
    }),
  );
}

/**
 * Why an account cannot be placed in this environment, region and cluster,
 * as a field name and a message; `undefined` when it can.
 */
export function placementProblem(
  environments: EnvironmentConfig[],
  placement: { environment: string; region: string; cluster: string },
): { field: string; message: string } | undefined {
  const env = environments.find(e => e.name === placement.environment);
  if (!env) {
    return {
      field: 'environment',
      message: `unknown environment '${placement.environment}' (configured: ${
        environments.map(e => e.name).join(', ') || 'none'
      })`,
    };
  }
  const regions = new Set([
    ...env.regions,
    ...env.clusters.flatMap(c => (c.region ? [c.region] : [])),
  ]);
  if (!regions.has(placement.region)) {
    return {
      field: 'region',
      message: `'${placement.region}' is not a region of environment '${
        env.name
      }' (configured: ${[...regions].join(', ') || 'none'})`,
    };
  }
  const cluster = env.clusters.find(c => c.name === placement.cluster);
  if (!cluster) {
    return {
      field: 'cluster',
      message: `'${placement.cluster}' is not a cluster of environment '${
        env.name
      }' (configured: ${env.clusters.map(c => c.name).join(', ') || 'none'})`,
    };
  }
  if (cluster.region && cluster.region !== placement.region) {
    return {
      field: 'cluster',
      message: `cluster '${cluster.name}' runs in region '${cluster.region}', not '${placement.region}'`,
    };
  }
  return undefined;
}
