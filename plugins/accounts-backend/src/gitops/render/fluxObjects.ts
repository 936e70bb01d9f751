import { AccountSettings } from '@fleet-portal/plugin-accounts-common';
import { GitopsService } from './gitopsConfig';
import { JsonObject, sortKeysDeep } from './mergeValues';

/**
 * The fields of an account that its Flux folder is rendered from. Bookkeeping
 * (created/updated by and at, version) is left out on purpose: changing only
 * it must not change a file.
 */
export type RenderableAccount = AccountSettings;

/** API versions of the objects rendered (the newest the CRDs serve). */
export const API_VERSIONS = {
  helmRelease: 'helm.toolkit.fluxcd.io/v2',
  notification: 'notification.toolkit.fluxcd.io/v1beta3',
  kustomize: 'kustomize.config.k8s.io/v1beta1',
} as const;

/** Names of the objects that are one per account. */
export const PROVIDER_NAME = 'slack';
export const ALERT_NAME = 'helm-releases';
export const ACCOUNT_CONFIG_NAME = 'account-config';

/** The metadata every rendered object carries, in a fixed field order. */
export function objectMetadata(
  name: string,
  account: { name: string; environment: string },
): JsonObject {
  return {
    name,
    namespace: account.name,
    labels: {
      'app.kubernetes.io/managed-by': 'fleet-portal',
      'fleet-portal.io/account': account.name,
      'fleet-portal.io/environment': account.environment,
    },
  };
}

/**
 * A service's HelmRelease. Charts from an OCIRepository are referenced with
 * `spec.chartRef` (the OCIRepository then selects the chart's version), the
 * others with a chart template (`spec.chart.spec`).
 */
export function helmRelease(args: {
  account: RenderableAccount;
  service: GitopsService;
  interval: string;
  values: JsonObject;
}): JsonObject {
  const { account, service, interval, values } = args;
  const { kind, name, namespace } = service.chart.sourceRef;
  // Absent fields stay absent (a config built in code may lack one), so that
  // the schema check reports them as missing.
  const source = {
    ...(kind !== undefined && { kind }),
    ...(name !== undefined && { name }),
    ...(namespace !== undefined && { namespace }),
  };
  return {
    apiVersion: API_VERSIONS.helmRelease,
    kind: 'HelmRelease',
    metadata: objectMetadata(service.name, account),
    spec: {
      interval,
      // Inactive accounts keep their objects but Flux stops reconciling them.
      ...(!account.active && { suspend: true }),
      ...(kind === 'OCIRepository'
        ? { chartRef: source }
        : {
            chart: {
              spec: {
                chart: service.chart.name,
                version: service.chart.version,
                sourceRef: source,
              },
            },
          }),
      values,
    },
  };
}

/** The Slack notification provider of the account's namespace. */
export function slackProvider(
  account: RenderableAccount,
  notifications: { slackChannel: string; secretName: string },
): JsonObject {
  return {
    apiVersion: API_VERSIONS.notification,
    kind: 'Provider',
    metadata: objectMetadata(PROVIDER_NAME, account),
    spec: {
      type: 'slack',
      channel: notifications.slackChannel,
      secretRef: { name: notifications.secretName },
    },
  };
}

/** An alert on every HelmRelease of the namespace, sent to the provider. */
export function helmReleaseAlert(account: RenderableAccount): JsonObject {
  return {
    apiVersion: API_VERSIONS.notification,
    kind: 'Alert',
    metadata: objectMetadata(ALERT_NAME, account),
    spec: {
      providerRef: { name: PROVIDER_NAME },
      eventSeverity: 'info',
      eventSources: [{ kind: 'HelmRelease', name: '*' }],
    },
  };
}

/** The account's global config as string data, for the services to read. */
export function accountConfigMap(account: RenderableAccount): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMetadata(ACCOUNT_CONFIG_NAME, account),
    data: {
      name: account.name,
      displayName: account.displayName,
      environment: account.environment,
      region: account.region,
      gcpProject: account.gcpProject,
      cluster: account.cluster,
      active: String(account.active),
      isUat: String(account.isUat),
      owner: account.owner,
      labels: JSON.stringify(sortKeysDeep(account.labels ?? {})),
    },
  };
}

/** The folder's kustomization: every other file, sorted. */
export function kustomization(resources: string[]): JsonObject {
  return {
    apiVersion: API_VERSIONS.kustomize,
    kind: 'Kustomization',
    resources: [...resources].sort(),
  };
}
