import { useApi } from '@backstage/frontend-plugin-api';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
  makeFieldSchema,
} from '@backstage/plugin-scaffolder-react';
import { Account } from '@fleet-portal/plugin-accounts-common';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import MenuList from '@material-ui/core/MenuList';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import { useId, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { accountsApiRef } from '../../api';
import { serverError } from '../AccountForm';

/**
 * The value (an account name) and `ui:options` of {@link AccountPicker}.
 *
 * @public
 */
export const accountPickerSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      environment: z
        .string()
        .optional()
        .describe('Only offer accounts of this environment'),
      limit: z
        .number()
        .optional()
        .describe('How many matches to offer (default 10)'),
    }),
});

/**
 * `ui:options` of {@link AccountPicker}.
 *
 * @public
 */
export type AccountPickerUiOptions = {
  environment?: string;
  limit?: number;
};

/** @public */
export type AccountPickerProps = FieldExtensionComponentProps<
  string,
  AccountPickerUiOptions
>;

/** What a match shows besides its name. */
function describeAccount(account: Account): string {
  return `${account.displayName} · ${account.environment} · ${account.cluster}`;
}

/**
 * A scaffolder field searching the account registry as the user types (name
 * or display name) and offering the matches; the value is the name of the
 * account chosen. Typing again clears the value until a match is chosen.
 *
 * @public
 */
export function AccountPicker(props: AccountPickerProps) {
  const { formData, onChange, schema, uiSchema, required, disabled } = props;
  const options = uiSchema['ui:options'] ?? {};
  const api = useApi(accountsApiRef);
  const listId = useId();
  const [query, setQuery] = useState(formData ?? '');
  const [search, setSearch] = useState(query);
  const [open, setOpen] = useState(false);
  // One request per pause in typing, not per key.
  useDebounce(() => setSearch(query.trim()), 250, [query]);

  const {
    value: matches,
    loading,
    error,
  } = useAsync(
    async () =>
      open
        ? (
            await api.listAccounts({
              q: search || undefined,
              environment: options.environment,
              limit: options.limit ?? 10,
            })
          ).items
        : [],
    [api, open, search, options.environment, options.limit],
  );

  function choose(account: Account) {
    setQuery(account.name);
    setOpen(false);
    onChange(account.name);
  }

  let help: string | undefined = schema.description;
  if (error)
    help = `Could not search the accounts: ${serverError(error).message}`;
  else if (open && !loading && matches?.length === 0)
    help = `No account matches '${search}'`;
  const showList = open && !error && (matches?.length ?? 0) > 0;

  return (
    <div>
      <TextField
        id={props.idSchema?.$id}
        fullWidth
        margin="normal"
        variant="outlined"
        label={schema.title ?? 'Account'}
        placeholder="Search by name"
        required={required}
        disabled={disabled}
        value={query}
        error={Boolean(error) || (props.rawErrors?.length ?? 0) > 0}
        helperText={help}
        autoComplete="off"
        inputProps={{
          role: 'combobox',
          'aria-autocomplete': 'list',
          'aria-expanded': showList,
          'aria-controls': listId,
        }}
        onFocus={() => setOpen(true)}
        onChange={e => {
          setQuery(e.target.value);
          setOpen(true);
          // A name typed is not a choice until it is picked from the list.
          if (formData !== undefined) onChange(undefined);
        }}
        onKeyDown={e => {
          if (e.key === 'Escape') setOpen(false);
        }}
      />
      {showList && (
        <Paper elevation={2}>
          <MenuList id={listId} role="listbox" aria-label="Matching accounts">
            {matches!.map(account => (
              <MenuItem
                key={account.name}
                role="option"
                aria-selected={account.name === formData}
                onClick={() => choose(account)}
              >
                <ListItemText
                  primary={account.name}
                  secondary={describeAccount(account)}
                />
              </MenuItem>
            ))}
          </MenuList>
        </Paper>
      )}
    </div>
  );
}

/**
 * Refuses a name that is not an account the user can read (e.g. one filled
 * in from the URL), with the backend's message when it cannot be checked.
 *
 * @public
 */
export const accountPickerValidation: CustomFieldValidator<
  string,
  AccountPickerUiOptions
> = async (value, validation, context) => {
  if (!value) return;
  const api = context.apiHolder.get(accountsApiRef);
  if (!api) return;
  try {
    await api.getAccount(value);
  } catch (error) {
    const { status, message } = serverError(error);
    validation.addError(
      status === 404
        ? `No account named '${value}'`
        : `Could not check account '${value}': ${message}`,
    );
  }
};
