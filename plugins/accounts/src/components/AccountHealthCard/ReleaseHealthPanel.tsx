import {
  StatusOK,
  StatusWarning,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  FluxCondition,
  HelmReleaseRevision,
  ReleaseHealth,
  WorkloadHealth,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Collapse from '@material-ui/core/Collapse';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { formatTimestamp } from '../AccountsPage/AccountsPage';
import { HealthStateChip } from '../FleetPage/healthStates';
import { describeVersion } from '../FleetPage/versions';
import { FluxActions, FluxPermissions } from './FluxActions';

const when = (iso?: string) => (iso ? formatTimestamp(iso) : '—');

const conditionColumns: TableColumn<FluxCondition>[] = [
  { title: 'Type', field: 'type' },
  { title: 'Status', field: 'status' },
  { title: 'Reason', render: c => c.reason ?? '' },
  {
    title: 'Message',
    render: c => c.message ?? '',
    cellStyle: { wordBreak: 'break-word' },
  },
  { title: 'Since', render: c => when(c.lastTransitionTime) },
];

const historyColumns: TableColumn<HelmReleaseRevision>[] = [
  { title: 'Revision', field: 'version' },
  { title: 'Chart', render: r => r.chartVersion ?? '' },
  { title: 'App version', render: r => r.appVersion ?? '' },
  { title: 'Status', render: r => r.status ?? '' },
  { title: 'Deployed', render: r => when(r.deployedAt) },
];

const tableOptions = {
  paging: false,
  search: false,
  sorting: false,
  toolbar: false,
  padding: 'dense' as const,
};

/** A Flux object's conditions as it reports them. */
export function ConditionsTable(props: { conditions: FluxCondition[] }) {
  return (
    <Table<FluxCondition>
      options={tableOptions}
      columns={conditionColumns}
      data={props.conditions}
      emptyContent={
        <Box p={1}>
          <Typography variant="body2">No conditions reported.</Typography>
        </Box>
      }
    />
  );
}

/** A workload's replicas: `2/3 ready`, marked unless all are ready. */
export function WorkloadLine({ workload }: { workload: WorkloadHealth }) {
  const ready =
    workload.replicas > 0 && workload.readyReplicas >= workload.replicas;
  return (
    <Box display="flex" alignItems="center">
      {ready ? <StatusOK /> : <StatusWarning />}
      <Typography variant="body2">
        {`${workload.name}: ${workload.readyReplicas}/${
          workload.replicas
        } ready${
          workload.image ? ` · ${describeVersion(workload.image)}` : ''
        }`}
      </Typography>
    </Box>
  );
}

/** The revision Helm deployed last (the newest `deployed` one). */
function deployedRevision(release: ReleaseHealth): string {
  const deployed =
    release.history.find(r => r.status === 'deployed') ?? release.history[0];
  if (!deployed) return 'none';
  return `revision ${deployed.version}${
    deployed.chartVersion ? ` (chart ${deployed.chartVersion})` : ''
  }${deployed.status === 'deployed' ? '' : `, ${deployed.status ?? ''}`}`;
}

/**
 * One HelmRelease of the account: its state, desired vs live version, what
 * Helm deployed vs last attempted, failures, suspension, workloads,
 * conditions and history, and the Flux actions allowed on it.
 */
export function ReleaseHealthPanel(props: {
  account: string;
  release: ReleaseHealth;
  workloads: WorkloadHealth[];
  permissions: FluxPermissions;
  onChanged: () => void;
}) {
  const { account, release, workloads, permissions, onChanged } = props;
  const [showHistory, setShowHistory] = useState(false);
  const { failures, suspendedBy } = release;
  const drift =
    release.desired && release.live && release.desired.tag !== release.live.tag;

  return (
    <Box
      component="section"
      aria-label={`HelmRelease ${release.service}`}
      border={1}
      borderColor="divider"
      borderRadius={4}
      p={2}
      mb={2}
    >
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
        <Typography variant="h6">{release.service}</Typography>
        <HealthStateChip state={release.state} />
        <Typography variant="body2">
          {`desired ${describeVersion(
            release.desired,
          )} · live ${describeVersion(release.live)}`}
          {drift && <strong> (live differs from desired)</strong>}
        </Typography>
      </Box>
      <Box my={1}>
        <Typography variant="body2" color="textSecondary">
          {release.message}
        </Typography>
      </Box>
      <FluxActions
        account={account}
        target={{ kind: 'HelmRelease', release: release.service }}
        suspended={release.suspended}
        permissions={permissions}
        onDone={onChanged}
      />
      <Box mt={1}>
        <StructuredMetadataTable
          dense
          metadata={{
            deployed: deployedRevision(release),
            'last attempted': release.lastAttemptedRevision ?? '—',
            failures: `install ${failures.install} · upgrade ${failures.upgrade} · total ${failures.total}`,
            suspended: release.suspended
              ? `yes${
                  suspendedBy
                    ? `, by ${suspendedBy.actor} at ${when(suspendedBy.at)}`
                    : ' (not through the portal)'
                }`
              : 'no',
            generation:
              release.generation === undefined
                ? '—'
                : `${release.observedGeneration ?? '—'} of ${
                    release.generation
                  } observed`,
            workloads:
              workloads.length === 0
                ? 'none found'
                : workloads.map(w => (
                    <WorkloadLine key={w.name} workload={w} />
                  )),
          }}
        />
      </Box>
      <Box mt={1}>
        <Typography variant="subtitle2">Conditions</Typography>
        <ConditionsTable conditions={release.conditions} />
      </Box>
      <Box mt={1}>
        <Button
          size="small"
          aria-expanded={showHistory}
          onClick={() => setShowHistory(open => !open)}
        >
          {`${showHistory ? 'Hide' : 'Show'} history (${
            release.history.length
          })`}
        </Button>
        <Collapse in={showHistory} unmountOnExit>
          <Table<HelmReleaseRevision>
            options={tableOptions}
            columns={historyColumns}
            data={release.history}
          />
        </Collapse>
      </Box>
    </Box>
  );
}
