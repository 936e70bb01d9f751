import {
  Content,
  InfoCard,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import { FormEvent, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { accountsApiRef } from '../../api';
import {
  AccountForm,
  AccountFormValues,
  FieldErrors,
  emptyAccountForm,
  fieldOfMessage,
  serverError,
  toRequest,
} from '../AccountForm';

/**
 * The create-account form. The backend checks every rule: its messages are
 * shown next to the fields they name, and nothing typed is lost.
 */
export function CreateAccountPage() {
  const accountsApi = useApi(accountsApiRef);
  const navigate = useNavigate();
  const environments = useAsync(
    () => accountsApi.listEnvironments(),
    [accountsApi],
  );
  const [values, setValues] = useState<AccountFormValues>(emptyAccountForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  // State updates are not synchronous: a second click in the same tick
  // would still see `submitting` false.
  const inFlight = useRef(false);

  function change(next: AccountFormValues, field: string) {
    setValues(next);
    setErrors(({ [field]: _, ...rest }) => rest);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (inFlight.current) return;
    const converted = toRequest(values);
    if ('errors' in converted) {
      setErrors(converted.errors);
      setProblem(undefined);
      return;
    }
    inFlight.current = true;
    setSubmitting(true);
    setErrors({});
    setProblem(undefined);
    try {
      const account = await accountsApi.createAccount({
        name: values.name,
        ...converted.request.fields,
      });
      navigate(`../${encodeURIComponent(account.name)}`, { relative: 'path' });
      return;
    } catch (error) {
      const { status, message } = serverError(error);
      const placed =
        status === 400 ? fieldOfMessage(message, converted.request) : undefined;
      if (placed) {
        setErrors({ [placed.field]: placed.problem });
      } else if (status === 409) {
        setErrors({ name: 'An account with that name exists' });
      } else if (status === 403) {
        setProblem(
          `You are not allowed to create this account: the permission policy refused it (${message}).`,
        );
      } else {
        setProblem(message);
      }
    }
    inFlight.current = false;
    setSubmitting(false);
  }

  return (
    <Content>
      <Typography variant="h4" gutterBottom>
        Create account
      </Typography>
      {environments.error && <ResponseErrorPanel error={environments.error} />}
      <InfoCard>
        <form onSubmit={submit} noValidate aria-label="Create account">
          {problem && (
            <Box mb={2}>
              <WarningPanel
                severity="error"
                title="The account was not created"
                message={problem}
                defaultExpanded
              />
            </Box>
          )}
          <AccountForm
            mode="create"
            values={values}
            errors={errors}
            environments={environments.value ?? []}
            disabled={submitting}
            onChange={change}
          />
          <Box mt={3} display="flex" alignItems="center" style={{ gap: 16 }}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={submitting}
              startIcon={
                submitting ? (
                  <CircularProgress size={16} color="inherit" />
                ) : undefined
              }
            >
              {submitting ? 'Creating…' : 'Create account'}
            </Button>
            <Button
              disabled={submitting}
              onClick={() => navigate('..', { relative: 'path' })}
            >
              Cancel
            </Button>
          </Box>
        </form>
      </InfoCard>
    </Content>
  );
}
