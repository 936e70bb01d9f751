import { Environment } from '@fleet-portal/plugin-accounts-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { FleetFilters as Filters } from './useFleetQuery';

function Choice(props: {
  label: string;
  value: string;
  options: Array<[string, string]>;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      select
      fullWidth
      variant="outlined"
      size="small"
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      SelectProps={{ inputProps: { 'aria-label': props.label } }}
    >
      <MenuItem value="">Any</MenuItem>
      {/* A value from the URL that the configuration does not list. */}
      {props.value &&
        !props.options.some(([value]) => value === props.value) && (
          <MenuItem value={props.value}>{props.value}</MenuItem>
        )}
      {props.options.map(([value, text]) => (
        <MenuItem key={value} value={value}>
          {text}
        </MenuItem>
      ))}
    </TextField>
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * The fleet's filters: environment, region and cluster (each narrowed by
 * the ones before it), UAT, and services. States are filtered through the
 * counts.
 */
export function FleetFilters(props: {
  filters: Filters;
  environments: Environment[];
  services: string[];
  filtered: boolean;
  onChange: (changes: Partial<Filters>) => void;
  onClear: () => void;
}) {
  const { filters, environments, services, filtered, onChange, onClear } =
    props;
  const envs = environments.filter(
    e => !filters.environment || e.name === filters.environment,
  );
  const regions = unique(
    envs.flatMap(e => [
      ...e.regions,
      ...e.clusters.flatMap(c => (c.region ? [c.region] : [])),
    ]),
  );
  const clusters = unique(
    envs.flatMap(e =>
      e.clusters
        .filter(c => !filters.region || c.region === filters.region)
        .map(c => c.name),
    ),
  );
  const toOptions = (values: string[]) =>
    values.map(v => [v, v] as [string, string]);

  return (
    <Grid container spacing={2} alignItems="center">
      <Grid item xs={6} md={2}>
        <Choice
          label="Environment"
          value={filters.environment}
          options={toOptions(environments.map(e => e.name))}
          onChange={environment =>
            onChange({ environment, region: '', cluster: '' })
          }
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <Choice
          label="Region"
          value={filters.region}
          options={toOptions(regions)}
          onChange={region => onChange({ region, cluster: '' })}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <Choice
          label="Cluster"
          value={filters.cluster}
          options={toOptions(clusters)}
          onChange={cluster => onChange({ cluster })}
        />
      </Grid>
      <Grid item xs={6} md={1}>
        <Choice
          label="UAT"
          value={filters.uat}
          options={[
            ['true', 'Yes'],
            ['false', 'No'],
          ]}
          onChange={uat => onChange({ uat })}
        />
      </Grid>
      <Grid item xs={12} md={3}>
        <TextField
          select
          fullWidth
          variant="outlined"
          size="small"
          label="Services"
          value={filters.service}
          onChange={e =>
            onChange({ service: e.target.value as unknown as string[] })
          }
          SelectProps={{
            multiple: true,
            renderValue: selected => (selected as string[]).join(', ') || 'All',
            displayEmpty: true,
            inputProps: { 'aria-label': 'Services' },
          }}
          InputLabelProps={{ shrink: true }}
        >
          {unique([...services, ...filters.service]).map(service => (
            <MenuItem key={service} value={service}>
              {service}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} md={2}>
        <Button variant="outlined" disabled={!filtered} onClick={onClear}>
          Clear filters
        </Button>
      </Grid>
    </Grid>
  );
}
