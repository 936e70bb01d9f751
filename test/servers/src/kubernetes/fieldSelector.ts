import { KubeObject } from './ClusterStore';
import { badRequest } from './kubeErrors';

/** One `field=value` or `field!=value` term of a field selector. */
interface FieldRequirement {
  field: 'metadata.name' | 'metadata.namespace';
  equals: boolean;
  value: string;
}

/** The fields every kind can be selected by. */
const SUPPORTED = new Set(['metadata.name', 'metadata.namespace']);

/**
 * Parses a field selector (`metadata.name=x,metadata.namespace!=y`), the
 * part every kind supports; other fields are 400, as the API server answers.
 */
export function parseFieldSelector(
  text: string | undefined,
): FieldRequirement[] {
  if (!text) return [];
  return text.split(',').map(term => {
    const match = /^\s*([^!=\s]+)\s*(==|=|!=)\s*([^\s]*)\s*$/.exec(term);
    if (!match)
      throw badRequest(
        `invalid selector: '${text}'; can't understand '${term}'`,
      );
    const [, field, operator, value] = match;
    if (!SUPPORTED.has(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return {
      field: field as FieldRequirement['field'],
      equals: operator !== '!=',
      value,
    };
  });
}

export function matchesFields(
  requirements: FieldRequirement[],
  object: KubeObject,
): boolean {
  return requirements.every(({ field, equals, value }) => {
    const actual =
      field === 'metadata.name'
        ? object.metadata.name
        : object.metadata.namespace ?? '';
    return (actual === value) === equals;
  });
}
