import { fieldPath, isPlainObject } from './mergeValues';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** A Flux duration (`spec.interval`), as the CRDs' pattern allows. */
export const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** A container image tag, as the OCI distribution spec allows. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** An image repository without tag or digest, e.g. `europe-docker.pkg.dev/p/images/backend`. */
export const IMAGE_REPOSITORY =
  /^(?=.{1,255}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/;

/** Helm refuses release names longer than this. */
export const MAX_RELEASE_NAME = 53;

/** A DNS-1123 label: namespaces, account and environment names. */
export function isDnsLabel(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length <= 63 && DNS_LABEL.test(value)
  );
}

/** A DNS-1123 subdomain: the names of most Kubernetes objects. */
export function isDnsSubdomain(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 253 &&
    DNS_SUBDOMAIN.test(value)
  );
}

/** Why `key` is not a Kubernetes label key, or `undefined`. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) {
    return 'has a prefix that is not a DNS-1123 subdomain';
  }
  if (!LABEL_NAME.test(name)) {
    return 'must be at most 63 letters, digits, -, _ or . between alphanumerics';
  }
  return undefined;
}

function metadataProblems(
  object: Record<string, unknown>,
  namespace: string | undefined,
): string[] {
  const metadata = object.metadata;
  if (!isPlainObject(metadata)) return ['metadata: must be an object'];
  const problems: string[] = [];
  if (!isDnsSubdomain(metadata.name)) {
    problems.push(
      'metadata.name: must be a DNS-1123 subdomain (lowercase letters, digits, - and ., at most 253 characters)',
    );
  }
  if (namespace !== undefined && metadata.namespace !== namespace) {
    problems.push(`metadata.namespace: must be '${namespace}'`);
  } else if (!isDnsLabel(metadata.namespace)) {
    problems.push('metadata.namespace: must be a DNS-1123 label');
  }
  const labels = metadata.labels ?? {};
  if (!isPlainObject(labels))
    return [...problems, 'metadata.labels: must be an object'];
  for (const [key, value] of Object.entries(labels)) {
    const path = fieldPath('metadata.labels', key);
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) problems.push(`${path}: key ${keyProblem}`);
    if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
      problems.push(
        `${path}: value must be a label value (at most 63 letters, digits, -, _ or .)`,
      );
    }
  }
  return problems;
}

function helmReleaseProblems(object: Record<string, unknown>): string[] {
  const metadata = object.metadata as Record<string, unknown>;
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const problems: string[] = [];
  const name = String(metadata.name ?? '');
  if (name.length > MAX_RELEASE_NAME) {
    problems.push(
      `metadata.name: must be at most ${MAX_RELEASE_NAME} characters (Helm's limit)`,
    );
  }
  // Helm names the release `<targetNamespace>-<name>` unless releaseName is set.
  const release =
    typeof spec.releaseName === 'string'
      ? spec.releaseName
      : [spec.targetNamespace, name].filter(Boolean).join('-');
  if (release.length > MAX_RELEASE_NAME || !isDnsSubdomain(release)) {
    problems.push(
      `spec.releaseName: the release name '${release}' must be a DNS-1123 subdomain of at most ${MAX_RELEASE_NAME} characters`,
    );
  }
  // The CRD says this in CEL, which the JSON schema check cannot evaluate.
  if ((spec.chart === undefined) === (spec.chartRef === undefined)) {
    problems.push('spec: either chart or chartRef must be set');
  }
  return problems;
}

function configMapProblems(object: Record<string, unknown>): string[] {
  const data = object.data ?? {};
  if (!isPlainObject(data)) return ['data: must be an object'];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const path = fieldPath('data', key);
    if (key.length > 253 || !CONFIG_MAP_KEY.test(key)) {
      problems.push(
        `${path}: key must be at most 253 of -, ., _, letters and digits`,
      );
    }
    if (typeof value !== 'string') problems.push(`${path}: must be a string`);
  }
  return problems;
}

/**
 * The rules of the Kubernetes API server that the CRD schemas do not carry:
 * object names, the namespace (when `namespace` is given, exactly that one),
 * labels, Helm's release name limit, ConfigMap keys. Returns one problem per
 * broken rule as `field.path: message`; empty when the object is fine.
 */
export function kubernetesObjectProblems(
  object: unknown,
  options: { namespace?: string } = {},
): string[] {
  if (!isPlainObject(object)) return ['(object): must be an object'];
  const problems: string[] = [];
  if (typeof object.apiVersion !== 'string' || !object.apiVersion) {
    problems.push('apiVersion: must be a non-empty string');
  }
  if (typeof object.kind !== 'string' || !object.kind) {
    problems.push('kind: must be a non-empty string');
  }
  const metadata = metadataProblems(object, options.namespace);
  problems.push(...metadata);
  if (object.kind === 'HelmRelease' && isPlainObject(object.metadata)) {
    problems.push(...helmReleaseProblems(object));
  }
  if (object.apiVersion === 'v1' && object.kind === 'ConfigMap') {
    problems.push(...configMapProblems(object));
  }
  return problems;
}
