import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { serviceReleasePermission } from '@fleet-portal/plugin-accounts-common';
import Router from 'express-promise-router';
import { z } from 'zod';
import { AccountsAuthorizer } from '../permissions/AccountsAuthorizer';
import { ReleaseService } from '../releases/ReleaseService';
import { parse } from './validation';

/** A service is named like its HelmRelease: a DNS-1123 label. */
const serviceNameSchema = z
  .string()
  .max(53, 'must be at most 53 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS-1123 label: lowercase letters, digits and inner dashes',
  );

/** Body of `POST /services/{service}/releases`. */
const createReleaseSchema = z.strictObject({
  kind: z.enum(['rc', 'final'], "must be 'rc' or 'final'"),
  version: z
    .string('must be a version like 1.4.0 or 1.4.0-rc.1')
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .optional(),
});

/**
 * `GET /services`, `GET /services/{service}/releases` and
 * `POST /services/{service}/releases`: the services, their releases and
 * next version, and making a release or release candidate (permission
 * `accounts.service.release`, one audit event).
 */
export function createReleaseRoutes(options: {
  httpAuth: HttpAuthService;
  authorizer: AccountsAuthorizer;
  auditor: AuditorService;
  /** The configured services (`accounts.gitops.services`). */
  services: string[];
  /** Absent when `accounts.releases` is not configured. */
  releases?: ReleaseService;
}) {
  const { httpAuth, authorizer, auditor } = options;
  const router = Router();

  function requireReleases(): ReleaseService {
    if (!options.releases) {
      throw new NotFoundError(
        'No release source is configured (accounts.releases in app-config)',
      );
    }
    return options.releases;
  }

  router.get('/services', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({
      items:
        options.releases?.services() ??
        options.services.map(name => ({ name })),
    });
  });

  router.get('/services/:service/releases', async (req, res) => {
    await httpAuth.credentials(req);
    const service = parse(serviceNameSchema, req.params.service, 'service');
    res.json(await requireReleases().releases(service));
  });

  router.post('/services/:service/releases', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorizer.authorizeBasic(credentials, serviceReleasePermission);
    const service = parse(serviceNameSchema, req.params.service, 'service');
    const request = parse(createReleaseSchema, req.body ?? {});
    const releases = requireReleases();
    const event = await auditor.createEvent({
      eventId: 'service-release',
      request: req,
      severityLevel: 'medium',
      meta: { service, kind: request.kind },
    });
    try {
      const release = await releases.createRelease(service, request);
      await event.success({
        meta: { tag: release.tag, sha: release.sha },
      });
      res.status(201).json(release);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}
