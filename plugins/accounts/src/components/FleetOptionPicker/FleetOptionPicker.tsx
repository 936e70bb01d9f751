import { useApi } from '@backstage/frontend-plugin-api';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
  makeFieldSchema,
} from '@backstage/plugin-scaffolder-react';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import TextField from '@material-ui/core/TextField';
import { useEffect, useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { accountsApiRef } from '../../api';
import { serverError } from '../AccountForm';
import {
  FleetOption,
  FleetOptionPickerUiOptions,
  chosenPlacement,
  fleetOptionSources,
  loadFleetOptions,
  needsEnvironment,
} from './fleetOptions';

/**
 * The value and `ui:options` of {@link FleetOptionPicker}: one name, or
 * several for `services`.
 *
 * @public
 */
export const fleetOptionPickerSchema = makeFieldSchema({
  output: z => z.union([z.string(), z.array(z.string())]),
  uiOptions: z =>
    z.object({
      source: z
        .enum(['environments', 'regions', 'clusters', 'services'])
        .describe('What to list'),
      environmentField: z
        .string()
        .optional()
        .describe('The field holding the environment (default `environment`)'),
      regionField: z
        .string()
        .optional()
        .describe(
          'The field holding the region, for clusters (default `region`)',
        ),
    }),
});

/** @public */
export type FleetOptionPickerProps = FieldExtensionComponentProps<
  string | string[],
  FleetOptionPickerUiOptions
>;

/**
 * A scaffolder field choosing among what the accounts backend has
 * configured (`ui:options.source`): an environment, a region or cluster of
 * the environment chosen in another field, or services (several). A choice
 * that no longer fits a newly chosen environment or region is dropped.
 *
 * @public
 */
export function FleetOptionPicker(props: FleetOptionPickerProps) {
  const { formData, onChange, schema, uiSchema, required, disabled } = props;
  const options = uiSchema['ui:options'] ?? ({} as FleetOptionPickerUiOptions);
  const { source } = options;
  const api = useApi(accountsApiRef);
  const placement = chosenPlacement(options, props.formContext?.formData);
  const environment = needsEnvironment(source)
    ? placement.environment
    : undefined;
  const region = source === 'clusters' ? placement.region : undefined;
  const waiting = needsEnvironment(source) && !environment;

  const {
    value: choices,
    loading,
    error,
  } = useAsync(
    async () =>
      waiting ? [] : loadFleetOptions(api, { source, environment, region }),
    [api, source, environment, region, waiting],
  );

  // A choice that no longer fits is dropped. Checked after every render:
  // two fields dropping their values in the same render each send the form
  // with the other's old value, so one may come back; it is dropped again
  // (a few times at most for the same choices, so that nothing can loop).
  const drops = useRef<{ choices?: FleetOption[]; count: number }>({
    count: 0,
  });
  useEffect(() => {
    if (!choices || formData === undefined) return;
    const fits = (v: string) => choices.some(c => c.value === v);
    const stale = Array.isArray(formData)
      ? !formData.every(fits)
      : Boolean(formData) && !fits(formData);
    if (!stale) return;
    if (drops.current.choices !== choices) {
      drops.current = { choices, count: 0 };
    }
    if (drops.current.count++ < 3) {
      onChange(Array.isArray(formData) ? formData.filter(fits) : undefined);
    }
  });

  const label = schema.title ?? source;
  let help: string | undefined = schema.description;
  if (error)
    help = `Could not load the ${source}: ${serverError(error).message}`;
  else if (waiting) help = 'Choose an environment first';
  else if (choices?.length === 0) help = `No ${source} configured`;
  const hasError = Boolean(error) || (props.rawErrors?.length ?? 0) > 0;
  const id = props.idSchema?.$id ?? `fleet-option-${source}`;

  if (source === 'services' || Array.isArray(formData)) {
    const chosen = Array.isArray(formData) ? formData : [];
    const toggle = (value: string, on: boolean) =>
      onChange(on ? [...chosen, value] : chosen.filter(v => v !== value));
    return (
      <FormControl
        component="fieldset"
        margin="normal"
        required={required}
        error={hasError}
        disabled={disabled || loading}
      >
        <FormLabel component="legend">{label}</FormLabel>
        <FormGroup row>
          {(choices ?? []).map(choice => (
            <FormControlLabel
              key={choice.value}
              label={choice.label}
              control={
                <Checkbox
                  checked={chosen.includes(choice.value)}
                  onChange={e => toggle(choice.value, e.target.checked)}
                />
              }
            />
          ))}
        </FormGroup>
        {help && <FormHelperText>{help}</FormHelperText>}
      </FormControl>
    );
  }

  return (
    <TextField
      id={id}
      select
      fullWidth
      margin="normal"
      variant="outlined"
      label={label}
      required={required}
      disabled={disabled || loading || waiting}
      value={typeof formData === 'string' ? formData : ''}
      error={hasError}
      helperText={help}
      onChange={e => onChange(e.target.value || undefined)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">Choose…</option>
      {(choices ?? []).map((choice: FleetOption) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </TextField>
  );
}

/**
 * Checks the value against the options as the backend has them now, for the
 * environment (and region) in the form: a value filled in from the URL, or
 * one chosen before the configuration changed, is refused with a message.
 *
 * @public
 */
export const fleetOptionPickerValidation: CustomFieldValidator<
  string | string[],
  FleetOptionPickerUiOptions
> = async (value, validation, context) => {
  const options = context.uiSchema?.['ui:options'];
  if (!options || !fleetOptionSources.includes(options.source)) {
    validation.addError(
      `ui:options.source must be one of ${fleetOptionSources.join(', ')}`,
    );
    return;
  }
  const values = (Array.isArray(value) ? value : [value]).filter(Boolean);
  if (values.length === 0) return;
  const { environment, region } = chosenPlacement(options, context.formData);
  const choices = await loadFleetOptions(
    context.apiHolder.get(accountsApiRef)!,
    {
      source: options.source,
      environment,
      region: options.source === 'clusters' ? region : undefined,
    },
  );
  for (const v of values) {
    if (!choices.some(c => c.value === v)) {
      const of = environment ? ` of environment '${environment}'` : '';
      validation.addError(
        `'${v}' is not one of the configured ${options.source}${
          needsEnvironment(options.source) ? of : ''
        }`,
      );
    }
  }
};
