import { HealthState } from '@fleet-portal/plugin-accounts-common';
import Chip from '@material-ui/core/Chip';
import { SvgIconProps } from '@material-ui/core/SvgIcon';
import AutorenewIcon from '@material-ui/icons/Autorenew';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CloudOffIcon from '@material-ui/icons/CloudOff';
import CompareArrowsIcon from '@material-ui/icons/CompareArrows';
import ErrorIcon from '@material-ui/icons/Error';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import PauseCircleFilledIcon from '@material-ui/icons/PauseCircleFilled';
import { ComponentType } from 'react';

/**
 * How each state looks. The colours are from the Okabe–Ito palette, which
 * people with the common colour-vision deficiencies can tell apart; each
 * state also has an icon of its own shape and its name, so that colour is
 * never the only cue.
 */
export const healthStateStyles: Record<
  HealthState,
  { color: string; Icon: ComponentType<SvgIconProps>; description: string }
> = {
  failed: {
    color: '#D55E00',
    Icon: ErrorIcon,
    description: 'Flux gave up on it for now (install or upgrade failed)',
  },
  drifted: {
    color: '#E69F00',
    Icon: CompareArrowsIcon,
    description: 'Runs another version than the config repository asks for',
  },
  progressing: {
    color: '#0072B2',
    Icon: AutorenewIcon,
    description: 'Flux is working on it',
  },
  suspended: {
    color: '#CC79A7',
    Icon: PauseCircleFilledIcon,
    description: 'Reconciliation is suspended',
  },
  stale: {
    color: '#7F7F7F',
    Icon: CloudOffIcon,
    description: 'The cluster cannot be read now: the last known state',
  },
  unknown: {
    color: '#A0A0A0',
    Icon: HelpOutlineIcon,
    description: 'Not on the cluster, or never reconciled',
  },
  healthy: {
    color: '#009E73',
    Icon: CheckCircleIcon,
    description: 'Ready, running the desired version',
  },
};

/** The state's colour as a light tint, for cell backgrounds (any theme). */
export function stateTint(state: HealthState): string {
  return `${healthStateStyles[state].color}2E`;
}

/** The state's icon in its colour, named for screen readers. */
export function HealthStateIcon(props: {
  state: HealthState;
  fontSize?: SvgIconProps['fontSize'];
}) {
  const { Icon, color } = healthStateStyles[props.state];
  return (
    <Icon
      fontSize={props.fontSize ?? 'small'}
      style={{ color }}
      titleAccess={props.state}
      data-testid={`state-icon-${props.state}`}
    />
  );
}

/** The state as a chip: icon, name, and its colour as the border. */
export function HealthStateChip(props: { state: HealthState }) {
  const { color, description } = healthStateStyles[props.state];
  return (
    <Chip
      size="small"
      variant="outlined"
      icon={<HealthStateIcon state={props.state} />}
      label={props.state}
      title={description}
      style={{ borderColor: color, backgroundColor: stateTint(props.state) }}
    />
  );
}
