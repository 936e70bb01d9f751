/*
 * The Fleet Portal backend: Backstage core plugins plus Fleet Portal's own.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest on the embedded defaults (see app-config.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog: services, groups and the scaffolder templates.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Permissions: Fleet Portal's policy (src/permissions/FleetPortalPolicy.ts).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissions'));

// Scaffolder, with the Fleet Portal workflow actions.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@fleet-portal/plugin-scaffolder-backend-module-accounts'));

// Fleet Portal: registry, GitOps, cluster, fleet, releases.
backend.add(import('@fleet-portal/plugin-accounts-backend'));

backend.start();
