import {
  Link,
  MarkdownContent,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  ServiceRelease,
  ServiceRepository,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { commitUrl, formatTimestamp, shortSha } from '../../format';

function columns(repository: ServiceRepository): TableColumn<ServiceRelease>[] {
  return [
    {
      title: 'Tag',
      field: 'tag',
      render: r => (r.url ? <Link to={r.url}>{r.tag}</Link> : r.tag),
    },
    {
      title: 'Kind',
      render: r =>
        r.candidate ? (
          <Chip
            size="small"
            label="release candidate"
            title="Deployed to UAT accounts only"
          />
        ) : (
          <Chip
            size="small"
            color="primary"
            label="release"
            title="Deployed to UAT and production accounts"
          />
        ),
    },
    {
      title: 'Commit',
      render: r => {
        const url = commitUrl(repository, r.sha);
        const sha = <code title={r.sha}>{shortSha(r.sha)}</code>;
        return url ? <Link to={url}>{sha}</Link> : sha;
      },
    },
    {
      title: 'Date',
      render: r => (r.createdAt ? formatTimestamp(r.createdAt) : '—'),
    },
  ];
}

/**
 * Every release and release candidate of the service, highest version
 * first, each with its tag, kind, commit and date; the release notes
 * (Markdown) open below a row.
 */
export function ReleasesTable(props: {
  releases: ServiceRelease[];
  repository: ServiceRepository;
}) {
  const { releases, repository } = props;
  // The table writes its own bookkeeping into the rows: give it copies.
  const data = useMemo(() => releases.map(r => ({ ...r })), [releases]);
  const tableColumns = useMemo(() => columns(repository), [repository]);
  return (
    <Table<ServiceRelease>
      title="Releases"
      subtitle={`${releases.length} releases and release candidates, highest first`}
      options={{
        search: false,
        paging: releases.length > 20,
        pageSize: 20,
        padding: 'dense',
        sorting: false,
      }}
      columns={tableColumns}
      data={data}
      // One panel per row, as a function: the table's per-row panel objects
      // do not work in this version of it.
      detailPanel={({ rowData }) => (
        <Box
          px={4}
          py={2}
          component="section"
          aria-label={`Release notes of ${rowData.tag}`}
        >
          {rowData.notes ? (
            <MarkdownContent content={rowData.notes} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              {`No release notes for ${rowData.tag}.`}
            </Typography>
          )}
        </Box>
      )}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2">
            No releases yet: the first one is made from the next release card.
          </Typography>
        </Box>
      }
    />
  );
}
