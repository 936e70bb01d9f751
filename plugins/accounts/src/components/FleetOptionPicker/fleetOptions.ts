import { InputError } from '@backstage/errors';
import { AccountsApi } from '../../api';
import { regionsOf } from '../AccountForm';

/**
 * What a {@link FleetOptionPicker} lists: the configured environments, the
 * regions or clusters of the chosen environment, or the services.
 *
 * @public
 */
export type FleetOptionSource =
  | 'environments'
  | 'regions'
  | 'clusters'
  | 'services';

/** The sources a picker can list. */
export const fleetOptionSources: FleetOptionSource[] = [
  'environments',
  'regions',
  'clusters',
  'services',
];

/**
 * `ui:options` of a {@link FleetOptionPicker}.
 *
 * @public
 */
export type FleetOptionPickerUiOptions = {
  source: FleetOptionSource;
  /** The form field holding the environment (default `environment`). */
  environmentField?: string;
  /** The form field holding the region, for clusters (default `region`). */
  regionField?: string;
};

/** One choice: the value stored and the label shown. */
export interface FleetOption {
  value: string;
  label: string;
}

/** Whether a source lists what belongs to the chosen environment. */
export function needsEnvironment(source: FleetOptionSource): boolean {
  return source === 'regions' || source === 'clusters';
}

/**
 * The environment and region chosen in other fields of the form, as named by
 * the picker's options.
 */
export function chosenPlacement(
  options: Partial<FleetOptionPickerUiOptions>,
  formData: Record<string, unknown> | undefined,
): { environment?: string; region?: string } {
  const pick = (field: string) => {
    const value = formData?.[field];
    return typeof value === 'string' && value ? value : undefined;
  };
  return {
    environment: pick(options.environmentField ?? 'environment'),
    region: pick(options.regionField ?? 'region'),
  };
}

/**
 * Loads the options of a source from the accounts backend. Regions and
 * clusters are those of `environment`; clusters also only those running in
 * `region`, when one is chosen. Simulated clusters say so in their label.
 */
export async function loadFleetOptions(
  api: AccountsApi,
  request: { source: FleetOptionSource; environment?: string; region?: string },
): Promise<FleetOption[]> {
  const { source, environment, region } = request;
  const named = (name: string) => ({ value: name, label: name });
  switch (source) {
    case 'environments':
      return (await api.listEnvironments()).map(e => named(e.name));
    case 'regions': {
      const environments = await api.listEnvironments();
      return regionsOf(environments.find(e => e.name === environment)).map(
        named,
      );
    }
    case 'clusters':
      return (await api.listClusters())
        .filter(
          c =>
            c.environment === environment &&
            (!region || !c.region || c.region === region),
        )
        .map(c => ({
          value: c.name,
          label: c.simulated ? `${c.name} (simulated)` : c.name,
        }));
    case 'services':
      return (await api.listServices()).map(s => named(s.name));
    default:
      throw new InputError(
        `ui:options.source must be one of ${fleetOptionSources.join(
          ', ',
        )}, not '${source}'`,
      );
  }
}
