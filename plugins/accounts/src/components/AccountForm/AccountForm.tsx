import { Environment } from '@fleet-portal/plugin-accounts-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import { useId } from 'react';
import { EditableRows } from './EditableRows';
import { AccountFormValues, FieldErrors } from './formValues';

/** Regions of an environment: its own and those of its clusters. */
export function regionsOf(env: Environment | undefined): string[] {
  if (!env) return [];
  return [
    ...new Set([
      ...env.regions,
      ...env.clusters.flatMap(c => (c.region ? [c.region] : [])),
    ]),
  ];
}

/** Clusters of an environment that run in the region (or in any region). */
export function clustersOf(
  env: Environment | undefined,
  region: string,
): string[] {
  if (!env) return [];
  return env.clusters
    .filter(c => !c.region || !region || c.region === region)
    .map(c => c.name);
}

/** Options, keeping the current value even when the config no longer has it. */
function withCurrent(options: string[], current: string): string[] {
  return current && !options.includes(current)
    ? [current, ...options]
    : options;
}

/** The props of {@link AccountForm}. */
export interface AccountFormProps {
  /** `create` shows the name; an account's name never changes. */
  mode: 'create' | 'edit';
  values: AccountFormValues;
  errors: FieldErrors;
  environments: Environment[];
  disabled?: boolean;
  /**
   * The new values, and the form field that changed (so that its message
   * can be cleared).
   */
  onChange: (values: AccountFormValues, field: string) => void;
}

/**
 * The fields of an account, each showing the message the backend (or the
 * form, for JSON it cannot send) had for it. Everything is controlled by the
 * caller; nothing typed is ever reset here except a region or cluster that
 * no longer fits a newly chosen environment or region.
 */
export function AccountForm(props: AccountFormProps) {
  const { mode, values, errors, environments, disabled, onChange } = props;
  const id = useId();
  const env = environments.find(e => e.name === values.environment);
  const regions = withCurrent(regionsOf(env), values.region);
  const clusters = withCurrent(clustersOf(env, values.region), values.cluster);

  function set(changes: Partial<AccountFormValues>, field: string) {
    onChange({ ...values, ...changes }, field);
  }

  function text(
    field: keyof AccountFormValues,
    label: string,
    options: { help?: string; placeholder?: string; required?: boolean } = {},
  ) {
    return (
      <TextField
        id={`${id}-${field}`}
        fullWidth
        variant="outlined"
        size="small"
        label={label}
        required={options.required}
        placeholder={options.placeholder}
        disabled={disabled}
        value={values[field]}
        error={Boolean(errors[field])}
        helperText={errors[field] ?? options.help}
        onChange={e => set({ [field]: e.target.value }, field)}
      />
    );
  }

  function select(
    field: 'environment' | 'region' | 'cluster',
    label: string,
    options: string[],
    onSelect: (value: string) => void,
    help?: string,
  ) {
    return (
      <TextField
        id={`${id}-${field}`}
        select
        fullWidth
        required
        variant="outlined"
        size="small"
        label={label}
        disabled={disabled}
        value={values[field]}
        error={Boolean(errors[field])}
        helperText={errors[field] ?? help}
        onChange={e => onSelect(e.target.value)}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
      >
        <option value="">Choose…</option>
        {options.map(option => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </TextField>
    );
  }

  function chooseEnvironment(environment: string) {
    const next = environments.find(e => e.name === environment);
    const nextRegions = regionsOf(next);
    let region = nextRegions.includes(values.region) ? values.region : '';
    if (!region && nextRegions.length === 1) region = nextRegions[0];
    set(
      { environment, region, cluster: fitCluster(next, region) },
      'environment',
    );
  }

  function chooseRegion(region: string) {
    set({ region, cluster: fitCluster(env, region) }, 'region');
  }

  /** The cluster kept (or the only one) once environment or region change. */
  function fitCluster(next: Environment | undefined, region: string) {
    const options = clustersOf(next, region);
    if (options.includes(values.cluster)) return values.cluster;
    return options.length === 1 ? options[0] : '';
  }

  return (
    <Grid container spacing={2}>
      {mode === 'create' && (
        <Grid item xs={12} md={6}>
          {text('name', 'Name', {
            required: true,
            help: 'Lowercase letters, digits and dashes; becomes the namespace. Cannot change later.',
            placeholder: 'northwind',
          })}
        </Grid>
      )}
      <Grid item xs={12} md={mode === 'create' ? 6 : 12}>
        {text('displayName', 'Display name', {
          required: true,
          placeholder: 'Northwind Traders',
        })}
      </Grid>
      <Grid item xs={12} md={4}>
        {select(
          'environment',
          'Environment',
          withCurrent(
            environments.map(e => e.name),
            values.environment,
          ),
          chooseEnvironment,
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        {select(
          'region',
          'Region',
          regions,
          chooseRegion,
          env ? undefined : 'Choose an environment first',
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        {select(
          'cluster',
          'Cluster',
          clusters,
          cluster => set({ cluster }, 'cluster'),
          env ? undefined : 'Choose an environment first',
        )}
      </Grid>
      <Grid item xs={12} md={6}>
        {text('gcpProject', 'GCP project', {
          required: true,
          placeholder: 'acme-production-europe',
        })}
      </Grid>
      <Grid item xs={12} md={6}>
        {text('owner', 'Owner', {
          required: true,
          help: 'The owning team, a catalog group, e.g. group:default/platform',
          placeholder: 'group:default/platform',
        })}
      </Grid>
      <Grid item xs={12}>
        <FormControlLabel
          control={
            <Checkbox
              checked={values.isUat}
              disabled={disabled}
              onChange={e => set({ isUat: e.target.checked }, 'isUat')}
            />
          }
          label="UAT: receives release candidates"
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={values.active}
              disabled={disabled}
              onChange={e => set({ active: e.target.checked }, 'active')}
            />
          }
          label="Active"
        />
        {(errors.isUat || errors.active) && (
          <FormHelperText error>{errors.isUat ?? errors.active}</FormHelperText>
        )}
      </Grid>

      <EditableRows
        id={id}
        field="labels"
        title="Labels"
        itemName="label"
        rows={values.labels}
        empty={{ key: '', value: '' }}
        columns={[
          {
            key: 'key',
            label: n => `Label ${n} key`,
            width: 5,
            placeholder: 'tier',
          },
          {
            key: 'value',
            label: n => `Label ${n} value`,
            width: 5,
            placeholder: 'gold',
          },
        ]}
        errors={errors}
        disabled={disabled}
        onChange={(labels, field) => set({ labels }, field)}
      />
      <EditableRows
        id={id}
        field="services"
        title="Services"
        itemName="service"
        rows={values.services}
        empty={{ name: '', values: '' }}
        columns={[
          {
            key: 'name',
            label: n => `Service ${n} name`,
            width: 4,
            placeholder: 'backend',
          },
          {
            key: 'values',
            label: n => `Service ${n} values (JSON)`,
            width: 6,
            placeholder: '{"replicas": 2}',
            help: 'Optional; empty for the environment defaults',
            multiline: true,
            monospace: true,
          },
        ]}
        errors={errors}
        disabled={disabled}
        onChange={(services, field) => set({ services }, field)}
      />
    </Grid>
  );
}
