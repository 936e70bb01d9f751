import { isPlainObject } from './objectFields';

/*
 * The part of CEL the Flux CRDs' `x-kubernetes-validations` rules use:
 * `has(self.a.b)`, `self.a.b`, string, number and boolean literals, `==`,
 * `!=`, `!`, `&&`, `||` and parentheses. A rule using anything else is
 * reported as unsupported and not checked.
 */

type Token = {
  kind: 'op' | 'ident' | 'literal';
  text: string;
  value?: unknown;
};

class UnsupportedRule extends Error {}

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const rest = rule.slice(i);
    const space = /^\s+/.exec(rest);
    const op = /^(==|!=|&&|\|\||[!().])/.exec(rest);
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    const string = /^'((?:[^'\\]|\\.)*)'|^"((?:[^"\\]|\\.)*)"/.exec(rest);
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (space) {
      i += space[0].length;
    } else if (op) {
      tokens.push({ kind: 'op', text: op[0] });
      i += op[0].length;
    } else if (string) {
      tokens.push({
        kind: 'literal',
        text: string[0],
        value: string[1] ?? string[2],
      });
      i += string[0].length;
    } else if (number) {
      tokens.push({
        kind: 'literal',
        text: number[0],
        value: Number(number[0]),
      });
      i += number[0].length;
    } else if (ident) {
      const word = ident[0];
      if (word === 'true' || word === 'false') {
        tokens.push({ kind: 'literal', text: word, value: word === 'true' });
      } else {
        tokens.push({ kind: 'ident', text: word });
      }
      i += word.length;
    } else {
      throw new UnsupportedRule(rest);
    }
  }
  return tokens;
}

/** Evaluates a rule against `self`; `undefined` when the rule is unsupported. */
export function evaluateCelRule(
  rule: string,
  self: unknown,
): boolean | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(rule);
  } catch (error) {
    if (error instanceof UnsupportedRule) return undefined;
    throw error;
  }
  let i = 0;
  const peek = (text: string) =>
    tokens[i]?.kind === 'op' && tokens[i].text === text;
  const expect = (text: string) => {
    if (!peek(text)) throw new UnsupportedRule(text);
    i += 1;
  };

  // A selection `self.a.b`: its value, and whether every step exists.
  const selection = (): { present: boolean; value: unknown } => {
    if (tokens[i]?.text !== 'self') throw new UnsupportedRule(tokens[i]?.text);
    i += 1;
    let present = true;
    let value: unknown = self;
    while (peek('.')) {
      i += 1;
      const field = tokens[i];
      if (field?.kind !== 'ident') throw new UnsupportedRule(field?.text);
      i += 1;
      present = present && isPlainObject(value) && field.text in value;
      value = present
        ? (value as Record<string, unknown>)[field.text]
        : undefined;
    }
    return { present, value };
  };

  const primary = (): unknown => {
    const token = tokens[i];
    if (peek('(')) {
      i += 1;
      const value = or();
      expect(')');
      return value;
    }
    if (token?.kind === 'literal') {
      i += 1;
      return token.value;
    }
    if (token?.kind === 'ident' && token.text === 'has') {
      i += 1;
      expect('(');
      const { present } = selection();
      expect(')');
      return present;
    }
    return selection().value;
  };
  const comparison = (): unknown => {
    const left = primary();
    if (peek('==') || peek('!=')) {
      const negate = tokens[i].text === '!=';
      i += 1;
      const equal = left === primary();
      return negate ? !equal : equal;
    }
    return left;
  };
  const unary = (): unknown => {
    if (peek('!')) {
      i += 1;
      return !unary();
    }
    return comparison();
  };
  const and = (): unknown => {
    let value = unary();
    while (peek('&&')) {
      i += 1;
      const right = unary();
      value = Boolean(value) && Boolean(right);
    }
    return value;
  };
  function or(): unknown {
    let value = and();
    while (peek('||')) {
      i += 1;
      const right = and();
      value = Boolean(value) || Boolean(right);
    }
    return value;
  }

  try {
    const result = or();
    if (i !== tokens.length) return undefined;
    return Boolean(result);
  } catch (error) {
    if (error instanceof UnsupportedRule) return undefined;
    throw error;
  }
}
