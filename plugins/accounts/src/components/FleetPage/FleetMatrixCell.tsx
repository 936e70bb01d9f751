import {
  FleetCell,
  HealthState,
  ImageVersion,
} from '@fleet-portal/plugin-accounts-common';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { memo } from 'react';
import { HealthStateIcon, healthStateStyles, stateTint } from './healthStates';
import { describeVersion, shortVersion } from './versions';

/** Width of a service column, in pixels. */
export const CELL_WIDTH = 190;

const useStyles = makeStyles(theme => ({
  cell: {
    width: CELL_WIDTH,
    minWidth: CELL_WIDTH,
    maxWidth: CELL_WIDTH,
    padding: theme.spacing(0, 1),
    borderBottom: `1px solid ${theme.palette.divider}`,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  },
  content: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    height: '100%',
    fontFamily: theme.typography.fontFamily,
    fontSize: '0.8125rem',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  drift: {
    // Shape, not only colour: a dashed frame marks live ≠ desired.
    outline: `2px dashed ${healthStateStyles.drifted.color}`,
    outlineOffset: -3,
    fontWeight: 700,
  },
  none: { color: theme.palette.text.disabled },
}));

/** Whether the cluster runs another version than the desired one. */
export function isDrift(cell: FleetCell): boolean {
  const [desired, live] = cell;
  return desired >= 0 && live >= 0 && desired !== live;
}

function CellTooltip(props: {
  account: string;
  service: string;
  state: HealthState;
  desired?: ImageVersion;
  live?: ImageVersion;
  drift: boolean;
}) {
  const { account, service, state, desired, live, drift } = props;
  return (
    <>
      <Typography variant="subtitle2">{`${service} on ${account}`}</Typography>
      <Typography variant="body2">{`State: ${state} — ${healthStateStyles[state].description}`}</Typography>
      <Typography variant="body2">{`Desired: ${describeVersion(
        desired,
      )}`}</Typography>
      <Typography variant="body2">{`Live: ${describeVersion(
        live,
      )}`}</Typography>
      {drift && (
        <Typography variant="body2">
          <strong>Drift: the cluster runs another version than desired</strong>
        </Typography>
      )}
    </>
  );
}

/**
 * One cell of the matrix: the live version, tinted and marked with the
 * state's icon, framed when it drifted from the desired version; details in
 * a tooltip.
 */
function MatrixCell(props: {
  account: string;
  service: string;
  cell: FleetCell | null;
  versions: ImageVersion[];
  states: HealthState[];
}) {
  const classes = useStyles();
  const { account, service, cell, versions, states } = props;
  if (!cell) {
    return (
      <td className={classes.cell} data-testid={`cell-${account}-${service}`}>
        <span className={`${classes.content} ${classes.none}`}>
          not enabled
        </span>
      </td>
    );
  }
  const state = states[cell[2]] ?? 'unknown';
  const desired = versions[cell[0]];
  const live = versions[cell[1]];
  const drift = isDrift(cell);
  return (
    <td
      className={classes.cell}
      style={{ backgroundColor: stateTint(state) }}
      data-testid={`cell-${account}-${service}`}
      data-state={state}
      data-drift={drift}
    >
      <Tooltip
        title={
          <CellTooltip
            account={account}
            service={service}
            state={state}
            desired={desired}
            live={live}
            drift={drift}
          />
        }
      >
        <span className={`${classes.content} ${drift ? classes.drift : ''}`}>
          <HealthStateIcon state={state} />
          {drift && <span aria-label="drift">≠</span>}
          {shortVersion(live)}
        </span>
      </Tooltip>
    </td>
  );
}

/** Only cells whose data changed render again. */
export const FleetMatrixCell = memo(MatrixCell);
