import { Environment } from '@fleet-portal/plugin-accounts-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  FilterChoice,
  YES_NO,
  filterOptions,
  regionsOf,
} from '../filters/FilterChoice';
import { FleetFilters as Filters } from './useFleetQuery';

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
  const regions = regionsOf(envs);
  const clusters = unique(
    envs.flatMap(e =>
      e.clusters
        .filter(c => !filters.region || c.region === filters.region)
        .map(c => c.name),
    ),
  );
  return (
    <Grid container spacing={2} alignItems="center">
      <Grid item xs={6} md={2}>
        <FilterChoice
          label="Environment"
          value={filters.environment}
          options={filterOptions(environments.map(e => e.name))}
          onChange={environment =>
            onChange({ environment, region: '', cluster: '' })
          }
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <FilterChoice
          label="Region"
          value={filters.region}
          options={filterOptions(regions)}
          onChange={region => onChange({ region, cluster: '' })}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <FilterChoice
          label="Cluster"
          value={filters.cluster}
          options={filterOptions(clusters)}
          onChange={cluster => onChange({ cluster })}
        />
      </Grid>
      <Grid item xs={6} md={1}>
        <FilterChoice
          label="UAT"
          value={filters.uat}
          options={YES_NO}
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
