import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ServiceRelease,
  ServiceReleases,
  serviceReleasePermission,
} from '@fleet-portal/plugin-accounts-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { useRef, useState } from 'react';
import { releasesApiRef } from '../../api';
import { serverError } from '../../errors';
import { CreateReleaseDialog } from '../CreateReleaseDialog';

type Kind = 'rc' | 'final';

/**
 * "Create release candidate" and "Release" for the next version, for those
 * the permission policy lets release (`accounts.service.release`). Each asks
 * for confirmation first; while a request runs every button is disabled. A
 * refusal (the tag exists, nothing to release, not allowed) is shown in the
 * dialog, which stays open; after a success `onReleased` gets the release.
 */
export function ReleaseActions(props: {
  releases: ServiceReleases;
  onReleased: (release: ServiceRelease) => void;
}) {
  const { releases, onReleased } = props;
  const { service, next } = releases;
  const api = useApi(releasesApiRef);
  const { allowed } = usePermission({ permission: serviceReleasePermission });
  const [kind, setKind] = useState<Kind>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // State updates are not synchronous: a ref stops a quick second click.
  const inFlight = useRef(false);

  if (!allowed || !next.version || !next.candidateTag) return null;
  const tags: Record<Kind, string> = {
    rc: next.candidateTag,
    final: `v${next.version}`,
  };

  const open = (chosen: Kind) => {
    setError(undefined);
    setKind(chosen);
  };

  const confirm = async () => {
    if (!kind || inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createRelease(service, { kind });
      setKind(undefined);
      onReleased(created);
    } catch (e) {
      setError(serverError(e).message);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <Box
      role="group"
      aria-label="Release actions"
      display="flex"
      flexWrap="wrap"
      gridGap={8}
    >
      <Button
        variant="outlined"
        color="primary"
        disabled={busy}
        onClick={() => open('rc')}
      >
        {`Create release candidate (${tags.rc})`}
      </Button>
      <Button
        variant="contained"
        color="primary"
        disabled={busy}
        onClick={() => open('final')}
      >
        {`Release ${tags.final}`}
      </Button>
      {kind && (
        <CreateReleaseDialog
          kind={kind}
          tag={tags[kind]}
          repository={releases.repository}
          branch={releases.branch}
          head={releases.head}
          latest={next.latest}
          candidates={next.candidates}
          busy={busy}
          error={error}
          onConfirm={confirm}
          onCancel={() => setKind(undefined)}
        />
      )}
    </Box>
  );
}
