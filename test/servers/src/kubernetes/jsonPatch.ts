import { KubeApiError } from './ClusterStore';
import { badRequest } from './kubeErrors';
import { deepEqual, isPlainObject } from './objectFields';

/** One operation of a JSON patch (RFC 6902). */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw badRequest(
      `the server rejected our request due to an error in our request: invalid pointer ${JSON.stringify(
        pointer,
      )}`,
    );
  }
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function container(root: unknown, tokens: string[], pointer: string): unknown {
  let node = root;
  for (const token of tokens) {
    let next: unknown;
    if (Array.isArray(node)) next = node[Number(token)];
    else if (isPlainObject(node)) next = node[token];
    if (next === undefined) {
      throw badRequest(
        `the server rejected our request due to an error in our request: doc is missing path: "${pointer}": missing value`,
      );
    }
    node = next;
  }
  return node;
}

function missing(pointer: string) {
  return badRequest(
    `the server rejected our request due to an error in our request: doc is missing key: ${pointer}: missing value`,
  );
}

function read(root: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  const value = container(root, tokens, pointer);
  return structuredClone(value);
}

function remove(root: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  const parent = container(root, tokens, pointer);
  if (last === undefined) throw missing(pointer);
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length)
      throw missing(pointer);
    return parent.splice(index, 1)[0];
  }
  if (!isPlainObject(parent) || !(last in parent)) throw missing(pointer);
  const value = parent[last];
  delete parent[last];
  return value;
}

function add(
  root: unknown,
  pointer: string,
  value: unknown,
  replace: boolean,
): unknown {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) return structuredClone(value);
  const parent = container(root, tokens, pointer);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    const limit = replace ? parent.length - 1 : parent.length;
    if (!Number.isInteger(index) || index < 0 || index > limit)
      throw missing(pointer);
    parent.splice(index, replace ? 1 : 0, structuredClone(value));
  } else if (isPlainObject(parent)) {
    if (replace && !(last in parent)) throw missing(pointer);
    parent[last] = structuredClone(value);
  } else {
    throw missing(pointer);
  }
  return root;
}

/** Applies a JSON patch to a copy of `document`; 400 `BadRequest` on a bad operation. */
export function applyJsonPatch(
  document: unknown,
  operations: unknown,
): unknown {
  if (!Array.isArray(operations)) {
    throw badRequest(
      'the server rejected our request due to an error in our request: json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  }
  let doc = structuredClone(document);
  for (const operation of operations as JsonPatchOperation[]) {
    const { op, path } = operation ?? {};
    if (typeof path !== 'string')
      throw badRequest(
        'the server rejected our request due to an error in our request: missing path',
      );
    switch (op) {
      case 'add':
      case 'replace':
        if (!('value' in operation))
          throw badRequest(
            `the server rejected our request due to an error in our request: ${op} operation does not apply: missing value`,
          );
        doc = add(doc, path, operation.value, op === 'replace');
        break;
      case 'remove':
        remove(doc, path);
        break;
      case 'move':
      case 'copy': {
        const value =
          op === 'move'
            ? remove(doc, operation.from ?? '')
            : read(doc, operation.from ?? '');
        doc = add(doc, path, value, false);
        break;
      }
      case 'test':
        if (!deepEqual(read(doc, path), operation.value)) {
          throw new KubeApiError(
            422,
            'Invalid',
            `the server rejected our request due to an error in our request: testing value ${path} failed: test failed`,
          );
        }
        break;
      default:
        throw badRequest(
          `the server rejected our request due to an error in our request: Unexpected kind: ${String(
            op,
          )}`,
        );
    }
  }
  return doc;
}
