import {
  FleetMatrix,
  HEALTH_STATES,
  HealthState,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useMemo } from 'react';
import { isDrift } from './FleetMatrixCell';
import { HealthStateIcon, healthStateStyles, stateTint } from './healthStates';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  selected: { fontWeight: 700, borderWidth: 2 },
  driftSample: {
    display: 'inline-block',
    width: 18,
    height: 14,
    marginRight: theme.spacing(0.5),
    verticalAlign: 'middle',
    outline: `2px dashed ${healthStateStyles.drifted.color}`,
    outlineOffset: -3,
  },
}));

/**
 * The cells per state, which double as the legend (colour, icon and name
 * of each state). Clicking a state shows only the accounts with a cell in
 * it; clicking it again removes that filter.
 */
export function StateCounts(props: {
  matrix: FleetMatrix;
  selected: HealthState[];
  onToggle: (state: HealthState) => void;
}) {
  const classes = useStyles();
  const { matrix, selected, onToggle } = props;
  const drifts = useMemo(
    () =>
      matrix.rows.reduce(
        (sum, row) =>
          sum + row.cells.filter(cell => cell && isDrift(cell)).length,
        0,
      ),
    [matrix],
  );
  return (
    <Box className={classes.bar} role="group" aria-label="Cells per state">
      {HEALTH_STATES.map(state => {
        const pressed = selected.includes(state);
        const { color, description } = healthStateStyles[state];
        return (
          <Chip
            key={state}
            variant="outlined"
            clickable
            icon={<HealthStateIcon state={state} />}
            label={`${state}: ${matrix.counts[state] ?? 0}`}
            title={`${description}. ${
              pressed
                ? 'Click to stop filtering by it'
                : 'Click to filter by it'
            }`}
            aria-pressed={pressed}
            className={pressed ? classes.selected : undefined}
            style={{ borderColor: color, backgroundColor: stateTint(state) }}
            onClick={() => onToggle(state)}
          />
        );
      })}
      <Typography variant="body2" color="textSecondary">
        <span className={classes.driftSample} aria-hidden="true" />
        {`≠ dashed frame: live differs from desired (${drifts})`}
      </Typography>
    </Box>
  );
}
