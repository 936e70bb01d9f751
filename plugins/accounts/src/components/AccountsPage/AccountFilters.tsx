import { Environment } from '@fleet-portal/plugin-accounts-common';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import { useEffect, useRef, useState } from 'react';
import {
  FilterChoice,
  YES_NO,
  filterOptions,
  regionsOf,
} from '../filters/FilterChoice';
import { AccountsFilters } from './useAccountsQuery';

const SEARCH_DELAY_MS = 300;

/** Search box and filters of the accounts list. */
export function AccountFilters(props: {
  filters: AccountsFilters;
  environments: Environment[];
  onChange: (changes: Partial<AccountsFilters>) => void;
}) {
  const { filters, environments, onChange } = props;
  const [search, setSearch] = useState(filters.q);
  /** The last search this box put into the URL. */
  const sent = useRef(filters.q);

  // The URL changed from outside (a link, back, a shared URL): show it.
  useEffect(() => {
    if (filters.q !== sent.current) {
      sent.current = filters.q;
      setSearch(filters.q);
    }
  }, [filters.q]);

  // The search is sent once typing pauses, not on every key.
  useEffect(() => {
    if (search === sent.current) return undefined;
    const timer = setTimeout(() => {
      sent.current = search;
      onChange({ q: search });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, onChange]);

  const env = environments.find(e => e.name === filters.environment);
  const regions = regionsOf(env ? [env] : environments);

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={4}>
        <TextField
          fullWidth
          variant="outlined"
          size="small"
          label="Search name or display name"
          value={search}
          onChange={e => setSearch(e.target.value)}
          inputProps={{ 'aria-label': 'Search accounts', maxLength: 100 }}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <FilterChoice
          label="Environment"
          value={filters.environment}
          options={filterOptions(environments.map(e => e.name))}
          onChange={environment => onChange({ environment, region: '' })}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <FilterChoice
          label="Region"
          value={filters.region}
          options={filterOptions(regions)}
          onChange={region => onChange({ region })}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <FilterChoice
          label="UAT"
          value={filters.uat}
          options={YES_NO}
          onChange={uat => onChange({ uat })}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <FilterChoice
          label="Active"
          value={filters.active}
          options={YES_NO}
          onChange={active => onChange({ active })}
        />
      </Grid>
    </Grid>
  );
}
