import { badRequest } from './kubeErrors';

/** One requirement of a label selector. */
export interface LabelRequirement {
  key: string;
  operator: 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
  values: string[];
}

/** A parsed selector: an object matches when every requirement holds. */
export type LabelSelector = LabelRequirement[];

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function fail(detail: string): never {
  throw badRequest(`unable to parse requirement: ${detail}`);
}

function checkKey(key: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefixOk =
    prefix === undefined || (prefix.length <= 253 && SUBDOMAIN.test(prefix));
  if (!prefixOk || name.length > 63 || !NAME.test(name)) {
    fail(
      `<nil>: Invalid value: ${JSON.stringify(
        key,
      )}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function checkValue(value: string): void {
  if (value !== '' && (value.length > 63 || !NAME.test(value))) {
    fail(
      `values[0][${value}]: Invalid value: ${JSON.stringify(
        value,
      )}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

/** Splits into identifiers and the operators `! = == != ( ) , < >`. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if ('(),<>'.includes(c)) {
      tokens.push(c);
      i += 1;
    } else if (c === '!' || c === '=') {
      const two = text.slice(i, i + 2);
      const op = two === '!=' || two === '==' ? two : c;
      tokens.push(op);
      i += op.length;
    } else {
      let j = i;
      while (j < text.length && !/[\s(),<>!=]/.test(text[j])) j += 1;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const OPERATORS = new Set(['!', '=', '==', '!=', '(', ')', ',', '<', '>']);

/**
 * Parses Kubernetes label selector syntax (`a=b,c!=d,e in (f,g),!h,i`);
 * 400 `BadRequest` when it is malformed, as the API server answers.
 */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  const tokens = tokenize(text ?? '');
  const requirements: LabelSelector = [];
  let i = 0;
  const peek = () => tokens[i];
  const identifier = (expected: string) => {
    const token = tokens[i];
    if (token === undefined || OPERATORS.has(token)) {
      fail(`found '${token ?? ''}', expected: ${expected}`);
    }
    i += 1;
    return token;
  };
  while (i < tokens.length) {
    if (peek() === '!') {
      i += 1;
      const key = identifier('identifier');
      checkKey(key);
      requirements.push({ key, operator: '!', values: [] });
    } else {
      const key = identifier('identifier');
      checkKey(key);
      const op = peek();
      if (op === undefined || op === ',') {
        requirements.push({ key, operator: 'exists', values: [] });
      } else if (op === '=' || op === '==' || op === '!=') {
        i += 1;
        const next = peek();
        const value =
          next === undefined || next === ',' ? '' : identifier('identifier');
        checkValue(value);
        requirements.push({
          key,
          operator: op === '!=' ? '!=' : '=',
          values: [value],
        });
      } else if (op === 'in' || op === 'notin') {
        i += 1;
        if (peek() !== '(') fail(`found '${peek() ?? ''}', expected: '('`);
        i += 1;
        const values: string[] = [];
        for (;;) {
          const next = peek();
          const value =
            next === ',' || next === ')'
              ? ''
              : identifier("',', ')' or identifier");
          checkValue(value);
          values.push(value);
          if (peek() === ')') break;
          if (peek() !== ',')
            fail(`found '${peek() ?? ''}', expected: ',' or ')'`);
          i += 1;
        }
        i += 1;
        requirements.push({ key, operator: op, values });
      } else if (op === '<' || op === '>') {
        i += 1;
        const value = identifier('integer');
        if (!/^-?\d+$/.test(value))
          fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
        requirements.push({
          key,
          operator: op === '>' ? 'gt' : 'lt',
          values: [value],
        });
      } else {
        fail(`found '${op}', expected: '=', '!=', '==', 'in', notin'`);
      }
    }
    if (i < tokens.length) {
      if (peek() !== ',')
        fail(`found '${peek()}', expected: ',' or 'end of string'`);
      i += 1;
      if (i === tokens.length) fail(`found '', expected: identifier after ','`);
    }
  }
  return requirements;
}

/** True when the labels satisfy every requirement. */
export function matchesLabels(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const own = labels ?? {};
  return selector.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(own, key);
    const value = own[key];
    switch (operator) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
      case 'in':
        return has && values.includes(value);
      case '!=':
      case 'notin':
        return !has || !values.includes(value);
      default: {
        if (!has || !/^-?\d+$/.test(value)) return false;
        const n = Number(value);
        return operator === 'gt'
          ? n > Number(values[0])
          : n < Number(values[0]);
      }
    }
  });
}
