import { Link } from '@backstage/core-components';
import {
  FleetMatrix,
  FleetRow,
  HealthState,
  ImageVersion,
} from '@fleet-portal/plugin-accounts-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  RefObject,
  UIEvent,
  memo,
  useCallback,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { CELL_WIDTH, FleetMatrixCell } from './FleetMatrixCell';

/** Every row has this height, so the visible ones follow from scrollTop. */
export const ROW_HEIGHT = 44;
/** Rows rendered beyond each edge of the viewport, for smooth scrolling. */
const OVERSCAN = 10;
/** The viewport's height before it can be measured (or where it cannot). */
const DEFAULT_VIEWPORT = 720;
const ACCOUNT_WIDTH = 220;

const useStyles = makeStyles(theme => ({
  scroller: {
    maxHeight: '70vh',
    overflow: 'auto',
    border: `1px solid ${theme.palette.divider}`,
    backgroundColor: theme.palette.background.paper,
  },
  table: { borderCollapse: 'separate', borderSpacing: 0, tableLayout: 'fixed' },
  head: {
    position: 'sticky',
    top: 0,
    zIndex: 2,
    height: 40,
    padding: theme.spacing(0, 1),
    textAlign: 'left',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    width: CELL_WIDTH,
    backgroundColor: theme.palette.background.paper,
    borderBottom: `2px solid ${theme.palette.divider}`,
  },
  corner: { left: 0, zIndex: 3, width: ACCOUNT_WIDTH },
  row: { height: ROW_HEIGHT },
  account: {
    position: 'sticky',
    left: 0,
    zIndex: 1,
    width: ACCOUNT_WIDTH,
    maxWidth: ACCOUNT_WIDTH,
    padding: theme.spacing(0, 1),
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    backgroundColor: theme.palette.background.paper,
    borderBottom: `1px solid ${theme.palette.divider}`,
    borderRight: `1px solid ${theme.palette.divider}`,
    lineHeight: 1.2,
  },
  spacer: { padding: 0, border: 0 },
}));

/**
 * Which rows to render: those in the scroll container's viewport and a few
 * around them. Rows outside are replaced by spacers of their height, so the
 * scrollbar stays true to the whole list.
 */
export function useVisibleRows(
  count: number,
  scroller: RefObject<HTMLDivElement>,
) {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(DEFAULT_VIEWPORT);
  useLayoutEffect(() => {
    const measure = () =>
      setViewport(scroller.current?.clientHeight || DEFAULT_VIEWPORT);
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [scroller]);
  const onScroll = useCallback(
    (event: UIEvent<HTMLDivElement>) =>
      setScrollTop(event.currentTarget.scrollTop),
    [],
  );
  const inView = Math.ceil(viewport / ROW_HEIGHT);
  // Clamped: the list may have shrunk under an old scroll position.
  const top = Math.min(
    Math.floor(scrollTop / ROW_HEIGHT),
    Math.max(0, count - inView),
  );
  return {
    first: Math.max(0, top - OVERSCAN),
    last: Math.min(count, top + inView + OVERSCAN),
    onScroll,
  };
}

function MatrixRow(props: {
  row: FleetRow;
  index: number;
  services: string[];
  versions: ImageVersion[];
  states: HealthState[];
  accountHref: (name: string) => string;
}) {
  const classes = useStyles();
  const { row, index, services, versions, states, accountHref } = props;
  return (
    <tr className={classes.row} aria-rowindex={index + 2}>
      <th scope="row" className={classes.account}>
        <Link to={accountHref(row.account)}>{row.account}</Link>
        <Typography variant="caption" color="textSecondary" display="block">
          {[row.environment, row.cluster, row.uat ? 'UAT' : '']
            .filter(Boolean)
            .join(' · ')}
        </Typography>
      </th>
      {services.map((service, i) => (
        <FleetMatrixCell
          key={service}
          account={row.account}
          service={service}
          cell={row.cells[i] ?? null}
          versions={versions}
          states={states}
        />
      ))}
    </tr>
  );
}

/** Only rows whose data changed render again. */
const MemoMatrixRow = memo(MatrixRow);

/**
 * The matrix of accounts × services. Only the rows in view are rendered
 * (2,000 accounts × 20 services would be 40,000 cells), in one scroll area
 * with the service names and account names kept in view.
 */
export function FleetMatrixTable(props: {
  matrix: FleetMatrix;
  accountHref: (name: string) => string;
}) {
  const classes = useStyles();
  const { matrix, accountHref } = props;
  const { rows, services } = matrix;
  const scroller = useRef<HTMLDivElement>(null);
  const { first, last, onScroll } = useVisibleRows(rows.length, scroller);
  const spacer = (height: number) => (
    <tr aria-hidden="true" style={{ height }}>
      <td className={classes.spacer} colSpan={services.length + 1} />
    </tr>
  );

  return (
    <div
      ref={scroller}
      className={classes.scroller}
      onScroll={onScroll}
      data-testid="fleet-matrix-scroller"
    >
      <table
        className={classes.table}
        // Fixed widths: columns do not jump as other rows scroll into view.
        style={{ width: ACCOUNT_WIDTH + services.length * CELL_WIDTH }}
        aria-label="Fleet matrix"
        aria-rowcount={rows.length + 1}
      >
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className={`${classes.head} ${classes.corner}`}>
              {`Account (${rows.length})`}
            </th>
            {services.map(service => (
              <th key={service} scope="col" className={classes.head}>
                {service}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && spacer(first * ROW_HEIGHT)}
          {rows.slice(first, last).map((row, i) => (
            <MemoMatrixRow
              key={row.account}
              row={row}
              index={first + i}
              services={services}
              versions={matrix.versions}
              states={matrix.states}
              accountHref={accountHref}
            />
          ))}
          {last < rows.length && spacer((rows.length - last) * ROW_HEIGHT)}
        </tbody>
      </table>
    </div>
  );
}
