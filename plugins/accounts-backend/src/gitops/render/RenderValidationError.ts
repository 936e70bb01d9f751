import { InputError } from '@backstage/errors';

/**
 * A rendered file, or the input it is rendered from, breaks a rule: a Flux
 * CRD schema, a Kubernetes naming rule, or the account's and services'
 * config. The message names the file, the object (`HelmRelease acme/backend`)
 * and each field (`spec.chart.spec.version: must be string`). It is an
 * `InputError`, so an HTTP route answers it with 400 and nothing is written.
 */
export class RenderValidationError extends InputError {
  /** The file inside the account's folder, when one is concerned. */
  readonly file?: string;
  /** `Kind namespace/name` of the object, when one is concerned. */
  readonly object?: string;
  /** `field.path: message`, one per broken rule. */
  readonly problems: string[];

  constructor(where: { file?: string; object?: string; problems: string[] }) {
    const context = [where.file, where.object].filter(Boolean).join(': ');
    super(
      context
        ? `${context}: ${where.problems.join('; ')}`
        : `Invalid ${where.problems.join('; ')}`,
    );
    this.file = where.file;
    this.object = where.object;
    this.problems = where.problems;
  }
}
