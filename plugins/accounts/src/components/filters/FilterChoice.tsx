import { Environment } from '@fleet-portal/plugin-accounts-common';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

/** A choice as `[value, text]`. */
export type FilterOption = [string, string];

/** The same value and text for each of `values`. */
export function filterOptions(values: string[]): FilterOption[] {
  return values.map(value => [value, value]);
}

/** Yes and No, for boolean filters kept as `'true'` / `'false'`. */
export const YES_NO: FilterOption[] = [
  ['true', 'Yes'],
  ['false', 'No'],
];

/** The regions of the environments and of their clusters, sorted, once each. */
export function regionsOf(environments: Environment[]): string[] {
  return [
    ...new Set(
      environments.flatMap(e => [
        ...e.regions,
        ...e.clusters.flatMap(c => (c.region ? [c.region] : [])),
      ]),
    ),
  ].sort();
}

/**
 * One filter of a list page: a select with "Any" (the empty value) and the
 * options. A value the options do not hold (from a shared or old URL) is
 * still shown as chosen rather than as a blank select.
 */
export function FilterChoice(props: {
  label: string;
  value: string;
  options: FilterOption[];
  onChange: (value: string) => void;
}) {
  const { label, value, options, onChange } = props;
  return (
    <TextField
      select
      fullWidth
      variant="outlined"
      size="small"
      label={label}
      value={value}
      onChange={e => onChange(e.target.value)}
      SelectProps={{ inputProps: { 'aria-label': label } }}
    >
      <MenuItem value="">Any</MenuItem>
      {value && !options.some(([known]) => known === value) && (
        <MenuItem value={value}>{value}</MenuItem>
      )}
      {options.map(([known, text]) => (
        <MenuItem key={known} value={known}>
          {text}
        </MenuItem>
      ))}
    </TextField>
  );
}
