import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { FluxActionResult } from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import ListItemText from '@material-ui/core/ListItemText';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import Typography from '@material-ui/core/Typography';
import ArrowDropDownIcon from '@material-ui/icons/ArrowDropDown';
import { useRef, useState } from 'react';
import { FluxActionRequest, accountsApiRef } from '../../api';
import { serverError } from '../AccountForm/submitError';

/** Which Flux actions the permission policy allows on the account. */
export interface FluxPermissions {
  reconcile: boolean;
  suspend: boolean;
  resume: boolean;
}

type Action = FluxActionRequest['action'];
type Options = NonNullable<FluxActionRequest['options']>;

const labels: Record<Action, string> = {
  reconcile: 'Reconcile',
  suspend: 'Suspend',
  resume: 'Resume',
};

const reconcileOptions: Array<{
  options: Options;
  text: string;
  detail: string;
}> = [
  {
    options: { force: true },
    text: 'Reconcile with force',
    detail: 'Upgrade even when nothing changed (flux reconcile --force)',
  },
  {
    options: { reset: true },
    text: 'Reconcile with reset',
    detail: 'Reset the failure counters first (flux reconcile --reset)',
  },
];

type Outcome =
  | { action: Action; result: FluxActionResult }
  | { action: Action; error: string };

function OutcomeLine({ outcome }: { outcome: Outcome }) {
  const label = labels[outcome.action];
  let icon = <StatusError />;
  let text = `${label} failed: ${'error' in outcome ? outcome.error : ''}`;
  if ('result' in outcome) {
    const { handled, message } = outcome.result;
    icon = handled ? <StatusOK /> : <StatusPending />;
    text = handled
      ? `${label} handled: ${message}`
      : `${label} requested; Flux has not handled it yet. ${message}`;
  }
  return (
    <Box display="flex" alignItems="center" mt={1}>
      {icon}
      <Typography variant="body2">{text}</Typography>
    </Box>
  );
}

/**
 * Reconcile (plain, or with force or reset for a HelmRelease), Suspend and
 * Resume for one Flux object of an account, each shown only when allowed.
 * While one runs all are disabled; its result or error shows below them,
 * and `onDone` lets the caller read the status again.
 */
export function FluxActions(props: {
  account: string;
  target: FluxActionRequest['target'];
  suspended: boolean;
  permissions: FluxPermissions;
  onDone: () => void;
}) {
  const { account, target, suspended, permissions, onDone } = props;
  const api = useApi(accountsApiRef);
  const [running, setRunning] = useState<Action>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuAnchor = useRef<HTMLButtonElement>(null);
  const object =
    target.kind === 'HelmRelease'
      ? `HelmRelease ${target.release}`
      : 'Kustomization';

  if (!permissions.reconcile && !permissions.suspend && !permissions.resume) {
    return null;
  }

  const run = async (action: Action, options?: Options) => {
    setMenuOpen(false);
    setRunning(action);
    setOutcome(undefined);
    try {
      const result = await api.fluxAction({ account, target, action, options });
      setOutcome({ action, result });
    } catch (error) {
      setOutcome({ action, error: serverError(error).message });
    } finally {
      setRunning(undefined);
      onDone();
    }
  };

  const busy = running !== undefined;
  return (
    <Box role="group" aria-label={`Flux actions for ${object}`}>
      <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={8}>
        {permissions.reconcile && (
          <ButtonGroup size="small" variant="outlined" disabled={busy}>
            <Button
              aria-label={`Reconcile ${object}`}
              onClick={() => run('reconcile')}
            >
              Reconcile
            </Button>
            {target.kind === 'HelmRelease' && (
              <Button
                ref={menuAnchor}
                aria-label={`Reconcile options for ${object}`}
                aria-haspopup="menu"
                onClick={() => setMenuOpen(true)}
              >
                <ArrowDropDownIcon fontSize="small" />
              </Button>
            )}
          </ButtonGroup>
        )}
        {permissions.suspend && !suspended && (
          <Button
            size="small"
            variant="outlined"
            disabled={busy}
            aria-label={`Suspend ${object}`}
            onClick={() => run('suspend')}
          >
            Suspend
          </Button>
        )}
        {permissions.resume && suspended && (
          <Button
            size="small"
            variant="outlined"
            color="primary"
            disabled={busy}
            aria-label={`Resume ${object}`}
            onClick={() => run('resume')}
          >
            Resume
          </Button>
        )}
        {running && (
          <Typography variant="body2" color="textSecondary">
            {`${labels[running]}: waiting for Flux…`}
          </Typography>
        )}
      </Box>
      <Menu
        anchorEl={menuAnchor.current}
        open={menuOpen}
        onClose={() => setMenuOpen(false)}
      >
        {reconcileOptions.map(item => (
          <MenuItem
            key={item.text}
            onClick={() => run('reconcile', item.options)}
          >
            <ListItemText primary={item.text} secondary={item.detail} />
          </MenuItem>
        ))}
      </Menu>
      {outcome && (
        <Box role="status" aria-label={`Result for ${object}`}>
          <OutcomeLine outcome={outcome} />
        </Box>
      )}
    </Box>
  );
}
