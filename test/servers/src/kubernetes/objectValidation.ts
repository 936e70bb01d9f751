import { KubeObject } from './ClusterStore';
import { FluxSchemaValidator } from './FluxSchemaValidator';
import { ResourceKind } from './kinds';
import {
  FieldCause,
  badRequest,
  invalid,
  invalidValue,
  requiredValue,
} from './kubeErrors';
import { JsonObject, deepEqual, isPlainObject } from './objectFields';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/**
 * Checks a name the way the API server checks it for the kind: a DNS label
 * for Namespaces, a DNS subdomain for the other built-in kinds, a path
 * segment for custom resources.
 */
export function nameProblem(
  kind: ResourceKind,
  name: string,
): FieldCause | undefined {
  if (kind.crd) {
    if (name === '.' || name === '..' || /[/%]/.test(name)) {
      return invalidValue(
        'metadata.name',
        name,
        `may not contain '/' or '%' and may not be '.' or '..'`,
      );
    }
    return undefined;
  }
  if (kind.kind === 'Namespace') {
    return name.length <= 63 && DNS_LABEL.test(name)
      ? undefined
      : invalidValue('metadata.name', name, LABEL_MESSAGE);
  }
  return name.length <= 253 && DNS_SUBDOMAIN.test(name)
    ? undefined
    : invalidValue('metadata.name', name, SUBDOMAIN_MESSAGE);
}

function qualifiedKeyProblems(field: string, keys: string[]): FieldCause[] {
  return keys
    .filter(key => {
      const slash = key.lastIndexOf('/');
      const prefix = slash < 0 ? undefined : key.slice(0, slash);
      const name = slash < 0 ? key : key.slice(slash + 1);
      return !(
        (prefix === undefined ||
          (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix))) &&
        name.length <= 63 &&
        QUALIFIED_NAME.test(name)
      );
    })
    .map(key =>
      invalidValue(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    );
}

function metadataProblems(
  kind: ResourceKind,
  metadata: JsonObject,
): FieldCause[] {
  const causes: FieldCause[] = [];
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    causes.push(
      requiredValue('metadata.name', 'name or generateName is required'),
    );
  } else {
    const problem = nameProblem(kind, name);
    if (problem) causes.push(problem);
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map === undefined) continue;
    if (!isPlainObject(map)) {
      causes.push(
        invalidValue(`metadata.${field}`, map, 'must be a map of strings'),
      );
      continue;
    }
    causes.push(...qualifiedKeyProblems(`metadata.${field}`, Object.keys(map)));
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') {
        causes.push(
          invalidValue(`metadata.${field}`, value, `${key} must be a string`),
        );
      } else if (
        field === 'labels' &&
        value !== '' &&
        (value.length > 63 || !QUALIFIED_NAME.test(value))
      ) {
        causes.push(
          invalidValue('metadata.labels', value, LABEL_VALUE_MESSAGE),
        );
      }
    }
  }
  return causes;
}

function dataProblems(object: JsonObject, live?: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const field of ['data', 'binaryData']) {
    const data = object[field];
    if (data === undefined) continue;
    if (!isPlainObject(data)) {
      causes.push(invalidValue(field, data, 'must be a map'));
      continue;
    }
    for (const key of Object.keys(data)) {
      if (!CONFIG_KEY.test(key)) {
        causes.push(
          invalidValue(
            `${field}[${key}]`,
            key,
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
          ),
        );
      }
    }
  }
  if (live?.immutable === true) {
    for (const field of ['data', 'binaryData', 'immutable']) {
      if (!deepEqual(live[field], object[field])) {
        causes.push({
          reason: 'FieldValueForbidden',
          field,
          message: 'Forbidden: field is immutable when `immutable` is set',
        });
      }
    }
  }
  return causes;
}

/**
 * Refuses a Secret whose `data` is not base64, as the API server's decoder
 * does (400 before any validation).
 */
export function checkSecretEncoding(
  kind: ResourceKind,
  object: JsonObject,
): void {
  if (kind.kind !== 'Secret' || kind.group || !isPlainObject(object.data))
    return;
  for (const value of Object.values(object.data)) {
    if (typeof value !== 'string' || !BASE64.test(value)) {
      throw badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0`,
      );
    }
  }
}

/**
 * Validates an object about to be stored: metadata, Secret and ConfigMap
 * data keys and immutability, and for custom resources the CRD schema.
 * Throws 422 `Invalid` naming every field.
 */
export function validateObject(
  kind: ResourceKind,
  object: JsonObject,
  schemas: FluxSchemaValidator,
  live?: KubeObject,
): void {
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  const causes = metadataProblems(kind, metadata);
  if (!kind.group && (kind.kind === 'Secret' || kind.kind === 'ConfigMap')) {
    causes.push(...dataProblems(object, live));
  }
  if (kind.crd) causes.push(...schemas.validate(object));
  if (causes.length > 0) {
    throw invalid(kind, String(metadata.name ?? ''), causes);
  }
}
