import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Account } from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { FormEvent, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { accountsApiRef } from '../../api';
import {
  AccountFields,
  AccountForm,
  AccountFormValues,
  FieldErrors,
  fieldOfMessage,
  formValuesOf,
  serverError,
  toRequest,
} from '../AccountForm';
import { DialogSubmitActions } from '../DialogSubmitActions';

/** The props of {@link EditAccountDialog}. */
export interface EditAccountDialogProps {
  /** The account as loaded; its `version` is sent with the change. */
  account: Account;
  onClose: () => void;
  /** The account changed (saved here, or reloaded after a conflict). */
  onChanged: (account: Account) => void;
}

/** The fields whose value differs from the account's. */
function changesFrom(
  account: Account,
  fields: AccountFields,
): Partial<AccountFields> {
  const before = toRequest(formValuesOf(account));
  const original: Partial<AccountFields> =
    'request' in before ? before.request.fields : {};
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([key, value]) =>
        JSON.stringify(value) !==
        JSON.stringify(original[key as keyof AccountFields]),
    ),
  );
}

/**
 * Changes an account's mutable fields (all but its name) with a PATCH
 * carrying the version that was loaded. When someone else changed the
 * account meanwhile, the backend refuses (409) and nothing typed is lost
 * until the user chooses to reload.
 */
export function EditAccountDialog(props: EditAccountDialogProps) {
  const { onClose, onChanged } = props;
  const accountsApi = useApi(accountsApiRef);
  const environments = useAsync(
    () => accountsApi.listEnvironments(),
    [accountsApi],
  );
  /** The version the form started from; replaced only by a reload. */
  const [base, setBase] = useState(props.account);
  const [values, setValues] = useState<AccountFormValues>(() =>
    formValuesOf(props.account),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string>();
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);

  function change(next: AccountFormValues, field: string) {
    setValues(next);
    setErrors(({ [field]: _, ...rest }) => rest);
  }

  async function run(work: () => Promise<void>) {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    try {
      await work();
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const converted = toRequest(values);
    if ('errors' in converted) {
      setErrors(converted.errors);
      return;
    }
    const changes = changesFrom(base, converted.request.fields);
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    run(async () => {
      setErrors({});
      setProblem(undefined);
      try {
        const account = await accountsApi.updateAccount(base.name, {
          ...changes,
          version: base.version,
        });
        onChanged(account);
        onClose();
      } catch (error) {
        const { status, message } = serverError(error);
        const placed =
          status === 400
            ? fieldOfMessage(message, converted.request)
            : undefined;
        if (placed) {
          setErrors({ [placed.field]: placed.problem });
        } else if (status === 409) {
          setStale(true);
        } else if (status === 403) {
          setProblem(
            `You are not allowed to change this account this way: the permission policy refused it (${message}).`,
          );
        } else {
          setProblem(message);
        }
      }
    });
  }

  /** Throws away what was typed for the account as it is now. */
  function reload() {
    run(async () => {
      try {
        const latest = await accountsApi.getAccount(base.name);
        setBase(latest);
        setValues(formValuesOf(latest));
        setErrors({});
        setProblem(undefined);
        setStale(false);
        onChanged(latest);
      } catch (error) {
        setProblem(serverError(error).message);
      }
    });
  }

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="md" fullWidth>
      {/* A flex column, so that the content scrolls and the actions stay. */}
      <form
        onSubmit={save}
        noValidate
        aria-label="Edit account"
        style={{
          display: 'flex',
          flexDirection: 'column',
          minHeight: 0,
          flex: '1 1 auto',
        }}
      >
        <DialogTitle>Edit {base.name}</DialogTitle>
        <DialogContent dividers>
          {stale && (
            <Box mb={2}>
              <WarningPanel
                severity="warning"
                title="This account changed since it was loaded"
                defaultExpanded
                message={
                  <>
                    Someone saved a newer version than version {base.version},
                    which this form started from, so nothing was saved. Your
                    edits are still below. Reload to start again from the latest
                    version; that discards your edits.
                    <Box mt={1}>
                      <Button
                        variant="outlined"
                        disabled={busy}
                        onClick={reload}
                      >
                        Reload latest version
                      </Button>
                    </Box>
                  </>
                }
              />
            </Box>
          )}
          {environments.error && (
            <Box mb={2}>
              <WarningPanel
                severity="error"
                title="The environments could not be loaded"
                message={serverError(environments.error).message}
              />
            </Box>
          )}
          {problem && (
            <Box mb={2}>
              <WarningPanel
                severity="error"
                title="The account was not changed"
                message={problem}
                defaultExpanded
              />
            </Box>
          )}
          <AccountForm
            mode="edit"
            values={values}
            errors={errors}
            environments={environments.value ?? []}
            disabled={busy}
            onChange={change}
          />
        </DialogContent>
        <DialogSubmitActions
          busy={busy}
          label="Save"
          busyLabel="Saving…"
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
