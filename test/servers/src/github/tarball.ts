import { gzipSync } from 'zlib';
import { GitObjectStore } from './GitObjectStore';

const BLOCK = 512;

function octal(value: number, width: number): string {
  // Numeric fields are octal, zero-padded, ending in NUL.
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(
  name: string,
  type: string,
  size: number,
  mode: number,
  mtime: number,
): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(mtime, 12), 136, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write('root', 265, 'ascii');
  block.write('root', 297, 'ascii');
  // The checksum is computed with its own field read as spaces.
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, Buffer.alloc(BLOCK - rest)];
}

/** A pax record: `<length> <key>=<value>\n`, the length counting itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length++;
  return `${length}${body}`;
}

function entry(
  out: Buffer[],
  name: string,
  type: '0' | '5',
  data: Buffer,
  mode: number,
  mtime: number,
) {
  if (Buffer.byteLength(name) > 100) {
    // Long names go in a pax extended header, as git archive writes them.
    const pax = Buffer.from(paxRecord('path', name), 'utf8');
    out.push(
      header('pax_header', 'x', pax.length, 0o644, mtime),
      ...padded(pax),
    );
  }
  out.push(header(name, type, data.length, mode, mtime), ...padded(data));
}

/**
 * The gzipped tar GitHub serves for a commit (`git archive` layout): a pax
 * global header with the commit sha, then everything under one top folder
 * `<owner>-<repo>-<short sha>/`.
 */
export function writeTarball(
  objects: GitObjectStore,
  owner: string,
  repo: string,
  commitSha: string,
): Buffer {
  const commit = objects.commit(commitSha)!;
  const mtime = commit.committer.seconds;
  const top = `${owner}-${repo}-${commitSha.slice(0, 7)}/`;
  const out: Buffer[] = [];
  const comment = Buffer.from(paxRecord('comment', commitSha), 'utf8');
  out.push(
    header('pax_global_header', 'g', comment.length, 0o666, mtime),
    ...padded(comment),
  );
  entry(out, top, '5', Buffer.alloc(0), 0o775, mtime);
  for (const e of objects.listRecursive(commit.tree)) {
    if (e.type === 'tree') {
      entry(out, `${top}${e.path}/`, '5', Buffer.alloc(0), 0o775, mtime);
    } else if (e.type === 'blob' && e.mode !== '120000') {
      const mode = e.mode === '100755' ? 0o775 : 0o664;
      entry(out, `${top}${e.path}`, '0', objects.blob(e.sha)!, mode, mtime);
    }
  }
  out.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(out));
}
