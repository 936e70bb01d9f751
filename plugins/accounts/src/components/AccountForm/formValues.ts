import {
  Account,
  AccountService,
  CreateAccountRequest,
} from '@fleet-portal/plugin-accounts-common';

/** One label as the user edits it. */
export interface LabelRow {
  key: string;
  value: string;
}

/** One service as the user edits it; `values` is JSON text, '' for none. */
export interface ServiceRow {
  name: string;
  values: string;
}

/** What the account form holds: exactly what the user typed. */
export interface AccountFormValues {
  name: string;
  displayName: string;
  environment: string;
  region: string;
  cluster: string;
  gcpProject: string;
  owner: string;
  isUat: boolean;
  active: boolean;
  labels: LabelRow[];
  services: ServiceRow[];
}

/**
 * Messages to show next to fields, keyed by form field: `name`, `owner`,
 * `labels`, `labels.<row>.key`, `labels.<row>.value`, `services`,
 * `services.<row>.name`, `services.<row>.values` (rows as shown in the form).
 */
export type FieldErrors = Record<string, string>;

/** The fields of an account a user sets, as sent to the backend. */
export type AccountFields = Omit<CreateAccountRequest, 'name'> &
  Required<Pick<CreateAccountRequest, 'active' | 'isUat' | 'owner'>> & {
    labels: Record<string, string>;
    services: AccountService[];
  };

/**
 * The form's values as a request, with where each label and service of the
 * request came from in the form, so that a message naming `services.1.name`
 * lands on the right row even when blank rows were left out.
 */
export interface FormRequest {
  fields: AccountFields;
  /** Label key → form row. */
  labelRows: Map<string, number>;
  /** Index in the request's `services` → form row. */
  serviceRows: number[];
}

export const emptyAccountForm: AccountFormValues = {
  name: '',
  displayName: '',
  environment: '',
  region: '',
  cluster: '',
  gcpProject: '',
  owner: '',
  isUat: false,
  active: true,
  labels: [],
  services: [],
};

/** An account as the form shows it. */
export function formValuesOf(account: Account): AccountFormValues {
  return {
    name: account.name,
    displayName: account.displayName,
    environment: account.environment,
    region: account.region,
    cluster: account.cluster,
    gcpProject: account.gcpProject,
    owner: account.owner,
    isUat: account.isUat,
    active: account.active,
    labels: Object.entries(account.labels).map(([key, value]) => ({
      key,
      value,
    })),
    services: account.services.map(service => ({
      name: service.name,
      values:
        service.values === undefined
          ? ''
          : JSON.stringify(service.values, undefined, 2),
    })),
  };
}

/**
 * Turns the form into a request. The backend checks the rules; only what a
 * request cannot express is caught here: values that are not a JSON object,
 * and a label key given twice. Blank label and service rows are left out.
 */
export function toRequest(
  values: AccountFormValues,
): { request: FormRequest } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const labels: Record<string, string> = {};
  const labelRows = new Map<string, number>();
  values.labels.forEach((row, index) => {
    if (row.key === '' && row.value === '') return;
    if (labelRows.has(row.key)) {
      errors[`labels.${index}.key`] = 'this key is given twice';
      return;
    }
    labels[row.key] = row.value;
    labelRows.set(row.key, index);
  });

  const services: AccountService[] = [];
  const serviceRows: number[] = [];
  values.services.forEach((row, index) => {
    if (row.name === '' && row.values.trim() === '') return;
    const service: AccountService = { name: row.name };
    if (row.values.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(row.values);
      } catch {
        errors[`services.${index}.values`] =
          'must be JSON, e.g. {"replicas": 2}';
        return;
      }
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        Array.isArray(parsed)
      ) {
        errors[`services.${index}.values`] =
          'must be a JSON object, e.g. {"replicas": 2}';
        return;
      }
      service.values = parsed as Record<string, unknown>;
    }
    services.push(service);
    serviceRows.push(index);
  });

  if (Object.keys(errors).length > 0) {
    return { errors };
  }
  return {
    request: {
      fields: {
        displayName: values.displayName,
        environment: values.environment,
        region: values.region,
        cluster: values.cluster,
        gcpProject: values.gcpProject,
        owner: values.owner,
        isUat: values.isUat,
        active: values.active,
        labels,
        services,
      },
      labelRows,
      serviceRows,
    },
  };
}

const fixedFields = [
  'name',
  'displayName',
  'environment',
  'region',
  'cluster',
  'gcpProject',
  'owner',
  'isUat',
  'active',
  'labels',
  'services',
];

/**
 * Where the backend's 400 message belongs in the form. The backend names the
 * field at fault as the message's start, `Invalid <path>: <problem>`, with
 * the path into the request (`owner`, `labels.<key>`, `services.0.name`).
 * Returns the form field and the problem, or `undefined` when the message
 * names nothing the form shows (it is then shown above the form).
 */
export function fieldOfMessage(
  message: string,
  request: FormRequest,
): { field: string; problem: string } | undefined {
  const candidates = new Map<string, string>();
  for (const field of fixedFields) candidates.set(field, field);
  for (const [key, row] of request.labelRows) {
    candidates.set(`labels.${key}`, `labels.${row}`);
  }
  request.serviceRows.forEach((row, index) => {
    candidates.set(`services.${index}`, `services.${row}.name`);
    candidates.set(`services.${index}.name`, `services.${row}.name`);
    candidates.set(`services.${index}.values`, `services.${row}.values`);
  });

  // The longest path that the message starts with: `labels.a.b` before
  // `labels.a` (label keys may hold dots), `services.0.name` before `services`.
  let best: { path: string; field: string } | undefined;
  for (const [path, field] of candidates) {
    if (
      message.startsWith(`Invalid ${path}: `) &&
      (!best || path.length > best.path.length)
    ) {
      best = { path, field };
    }
  }
  if (!best) return undefined;
  const problem = message.slice(`Invalid ${best.path}: `.length);
  let field = best.field;
  if (/^labels\.\d+$/.test(field)) {
    // The key is at fault unless the problem is the value.
    field += /label value/i.test(problem) ? '.value' : '.key';
  }
  return { field, problem };
}
