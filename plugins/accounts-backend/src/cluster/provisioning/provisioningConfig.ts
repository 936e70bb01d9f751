import { Config } from '@backstage/config';
import { inspect } from 'util';
import {
  FLUX_DURATION,
  isDnsLabel,
  isDnsSubdomain,
  labelKeyProblem,
} from '../../gitops/render/kubernetesRules';

/**
 * A secret value from config. It prints, logs and serialises as
 * `[secret]`; only {@link SecretValue.reveal} gives the value, when the
 * Secret object is built.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[secret]';
  }

  toString(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return '[secret]';
  }
}

/** Where one key of a provisioned Secret gets its value. */
export type SecretSource =
  | { value: SecretValue }
  /** A file read at provisioning time (e.g. a mounted secret). */
  | { file: string };

/** A Secret created in every account namespace. */
export interface ProvisionedSecretConfig {
  name: string;
  /** Default `Opaque`. */
  type: string;
  data: Array<{ key: string; source: SecretSource }>;
}

/** Source kinds a Flux Kustomization can apply from. */
export const KUSTOMIZATION_SOURCE_KINDS = [
  'GitRepository',
  'OCIRepository',
  'Bucket',
] as const;

/** What provisioning creates in a cluster for each account. */
export interface ProvisioningConfig {
  flux: {
    /** The Flux source holding the config repository. */
    sourceRef: {
      kind: (typeof KUSTOMIZATION_SOURCE_KINDS)[number];
      name: string;
      namespace: string;
    };
    /** How often Flux reconciles the account's Kustomization. */
    interval: string;
    /** How long Flux waits for one apply. */
    timeout?: string;
  };
  /** Extra labels of every account namespace. */
  labels: Record<string, string>;
  secrets: ProvisionedSecretConfig[];
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/** Labels provisioning sets itself; config must not replace them. */
const OWN_LABELS = /^(fleet-portal\.io\/|app\.kubernetes\.io\/managed-by$)/;

function invalid(key: string, message: string): never {
  throw new Error(`Invalid config ${key}: ${message}`);
}

function readDuration(config: Config | undefined, key: string, path: string) {
  const value = config?.getOptionalString(key);
  if (value !== undefined && !FLUX_DURATION.test(value)) {
    invalid(`${path}.${key}`, `'${value}' is not a duration like 5m or 1h30m`);
  }
  return value;
}

function readFlux(flux: Config | undefined): ProvisioningConfig['flux'] {
  const path = 'accounts.provisioning.flux';
  const source = flux?.getOptionalConfig('sourceRef');
  // `flux bootstrap` names the repository's source flux-system.
  const kind = source?.getOptionalString('kind') ?? 'GitRepository';
  if (!(KUSTOMIZATION_SOURCE_KINDS as readonly string[]).includes(kind)) {
    invalid(
      `${path}.sourceRef.kind`,
      `'${kind}' must be one of ${KUSTOMIZATION_SOURCE_KINDS.join(', ')}`,
    );
  }
  const name = source?.getOptionalString('name') ?? 'flux-system';
  if (!isDnsSubdomain(name)) {
    invalid(`${path}.sourceRef.name`, `'${name}' is not an object name`);
  }
  const namespace = source?.getOptionalString('namespace') ?? 'flux-system';
  if (!isDnsLabel(namespace)) {
    invalid(`${path}.sourceRef.namespace`, `'${namespace}' is not a namespace`);
  }
  const timeout = readDuration(flux, 'timeout', path);
  return {
    sourceRef: {
      kind: kind as ProvisioningConfig['flux']['sourceRef']['kind'],
      name,
      namespace,
    },
    interval: readDuration(flux, 'interval', path) ?? '5m',
    ...(timeout !== undefined && { timeout }),
  };
}

/** A config object whose keys may hold `.` and `/`, read as plain JSON. */
function rawObject(
  config: Config | undefined,
  key: string,
  path: string,
): Record<string, unknown> | undefined {
  const value = config?.getOptional(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(path, 'must be an object');
  }
  return value as Record<string, unknown>;
}

function readLabels(root: Config | undefined): Record<string, string> {
  const raw = rawObject(root, 'labels', 'accounts.provisioning.labels') ?? {};
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const path = `accounts.provisioning.labels[${JSON.stringify(key)}]`;
    const problem = labelKeyProblem(key);
    if (problem) invalid(path, `the key ${problem}`);
    if (OWN_LABELS.test(key)) {
      invalid(path, 'is set by provisioning itself and cannot be configured');
    }
    if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
      invalid(
        path,
        'must be a label value (at most 63 letters, digits, -, _ or .)',
      );
    }
    labels[key] = value;
  }
  return labels;
}

function readSecretKey(
  key: string,
  entry: unknown,
  keyPath: string,
): ProvisionedSecretConfig['data'][number] {
  if (key.length > 253 || !SECRET_KEY.test(key)) {
    invalid(
      keyPath,
      'the key must be at most 253 of -, ., _, letters and digits',
    );
  }
  const source = (
    typeof entry === 'object' && entry !== null ? entry : {}
  ) as Record<string, unknown>;
  const { value, file } = source;
  if ((value === undefined) === (file === undefined)) {
    invalid(keyPath, "must have exactly one of 'value' or 'file'");
  }
  if (file !== undefined) {
    if (typeof file !== 'string' || !file.trim()) {
      invalid(`${keyPath}.file`, 'must be a file path');
    }
    return { key, source: { file } };
  }
  // The value itself never goes into a message.
  if (typeof value !== 'string')
    invalid(`${keyPath}.value`, 'must be a string');
  return { key, source: { value: new SecretValue(value) } };
}

function readSecret(secret: Config, index: number): ProvisionedSecretConfig {
  const path = `accounts.provisioning.secrets[${index}]`;
  const name = secret.getString('name');
  if (!isDnsSubdomain(name)) {
    invalid(
      `${path}.name`,
      `'${name}' is not a Secret name (DNS-1123 subdomain)`,
    );
  }
  const type = secret.getOptionalString('type') ?? 'Opaque';
  if (!type.trim() || type.length > 253) {
    invalid(`${path}.type`, 'must be 1–253 characters');
  }
  const data = rawObject(secret, 'data', `${path}.data`) ?? {};
  const entries = Object.entries(data);
  if (entries.length === 0) {
    invalid(`${path}.data`, 'must name at least one key');
  }
  return {
    name,
    type,
    data: entries.map(([key, entry]) =>
      readSecretKey(key, entry, `${path}.data[${JSON.stringify(key)}]`),
    ),
  };
}

/**
 * Reads `accounts.provisioning`: the Flux source and intervals of each
 * account's Kustomization (default source `GitRepository`
 * `flux-system/flux-system`, as `flux bootstrap` creates it; interval `5m`),
 * extra namespace labels, and the Secrets created in every account
 * namespace. Bad values throw naming the config key, never a secret value.
 */
export function readProvisioningConfig(config: Config): ProvisioningConfig {
  const root = config.getOptionalConfig('accounts.provisioning');
  const secrets = (root?.getOptionalConfigArray('secrets') ?? []).map(
    readSecret,
  );
  secrets.forEach((secret, i) => {
    if (secrets.findIndex(s => s.name === secret.name) !== i) {
      invalid(
        `accounts.provisioning.secrets[${i}].name`,
        `'${secret.name}' is configured twice`,
      );
    }
  });
  return {
    flux: readFlux(root?.getOptionalConfig('flux')),
    labels: readLabels(root),
    secrets,
  };
}
