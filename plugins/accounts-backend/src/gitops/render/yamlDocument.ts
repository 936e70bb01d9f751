import {
  Document,
  isScalar,
  parseAllDocuments,
  ScalarTag,
  Tags,
  visit,
} from 'yaml';

const STR = 'tag:yaml.org,2002:str';

// Characters YAML 1.1 parsers (go-yaml, which Flux and Helm use) read as
// line breaks or drop, written raw by the yaml library: escape them.
const BREAK_LIKE = /[\u007f-\u009f\u2028\u2029\ufeff]/;

function escapedDoubleQuoted(value: string): string {
  // A JSON string is a valid YAML double-quoted scalar.
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The default string tag, escaping what Go's YAML would misread. */
function safeStrings(tags: Tags): Tags {
  return tags.map(tag => {
    if (typeof tag !== 'object' || tag.tag !== STR || !('stringify' in tag)) {
      return tag;
    }
    const base = tag as ScalarTag;
    const stringify: ScalarTag['stringify'] = (
      item,
      ctx,
      onComment,
      onChompKeep,
    ) =>
      typeof item.value === 'string' && BREAK_LIKE.test(item.value)
        ? escapedDoubleQuoted(item.value)
        : base.stringify!(item, ctx, onComment, onChompKeep);
    return { ...base, stringify };
  });
}

/** A comment on the scalar at `path` (keys from the document's root). */
export interface ScalarComment {
  path: string[];
  comment: string;
}

/**
 * Writes JSON data as one YAML document, through the yaml library's node API
 * (never by pasting strings): keys in the data's order, no line folding, no
 * anchors or aliases, and strings that another YAML version would read as
 * something else (`yes`, `0o17`, `<<`) quoted. `header` goes first as a
 * comment, `comments` trail their scalars (e.g. Flux's `$imagepolicy`
 * marker). That the text reads back as exactly `data` under YAML 1.2 and
 * 1.1, hostile strings included, is what `injection.test.ts` and the golden
 * files check; checking it again on every render doubled rendering time.
 */
export function writeYamlDocument(
  data: unknown,
  options: { header: string; comments?: ScalarComment[] },
): string {
  const doc = new Document(data, {
    aliasDuplicateObjects: false,
    compat: 'yaml-1.1',
    customTags: safeStrings,
  });
  doc.commentBefore = ` ${options.header}`;
  for (const { path, comment } of options.comments ?? []) {
    const node = doc.getIn(path, true);
    if (!isScalar(node))
      throw new Error(`no scalar at ${path.join('.')} to comment`);
    node.comment = ` ${comment}`;
  }
  const text = doc.toString({
    singleQuote: true,
    lineWidth: 0,
    minContentWidth: 0,
    indentSeq: true,
  });
  return text;
}

/**
 * Reads exactly one YAML document as data. Refuses aliases (and so merge
 * keys, which need them in practice), several documents and syntax errors;
 * `<<` stays an ordinary key. YAML 1.2 unless `version` says otherwise.
 */
export function parseYamlDocument(
  text: string,
  version: '1.1' | '1.2' = '1.2',
): unknown {
  const docs = parseAllDocuments(text, {
    version,
    merge: false,
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: 'silent',
  });
  if (!Array.isArray(docs) || docs.length !== 1) {
    throw new Error(
      `expected one YAML document, found ${
        Array.isArray(docs) ? docs.length : 0
      }`,
    );
  }
  const [doc] = docs;
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message);
  let alias = false;
  visit(doc, {
    Alias() {
      alias = true;
      return visit.BREAK;
    },
  });
  if (alias) throw new Error('YAML aliases are not allowed');
  return doc.toJS({ maxAliasCount: 0 });
}
