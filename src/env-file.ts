// Writes KEY=value pairs into a dotenv file without disturbing anything else in it: existing keys are replaced in
// place (also `export KEY=…` and multi-line quoted values), missing keys are appended, and every other byte — lines,
// comments, blank lines, order, line endings — stays as it was. The file is replaced atomically (temp file + rename)
// and is readable by its owner only (0600), since it holds secrets.
import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface EnvFileUpdate {
  /** The file written (symlinks resolved). */
  path: string;
  /** True when the file did not exist before. */
  created: boolean;
  /** Keys whose existing line(s) were replaced. */
  replaced: string[];
  /** Keys appended at the end. */
  added: string[];
}

// dotenv's own key syntax, `KEY=` or `KEY: `, optionally after `export `.
const KEY_LINE = /^(\s*(?:export\s+)?)([\w.-]+)(\s*=|:\s)(.*)$/;
const VALID_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A value as dotenv will read it back: bare when safe, otherwise quoted. */
export function formatEnvValue(value: string): string {
  if (/[\r\n]/.test(value)) {
    // Only double quotes turn \n back into a newline in dotenv.
    if (value.includes('"') || /\\[nr]/.test(value)) throw new Error('a value with newlines must not contain " or \\n');
    return `"${value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;
  }
  if (!/[\s#'"`]/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value}"`;
  if (!value.includes('`')) return `\`${value}\``;
  throw new Error('the value contains every kind of quote and cannot be written to a .env file');
}

/** Whether `text` (after an opening `quote`) contains the closing, unescaped `quote`. */
function closes(text: string, quote: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return true;
  }
  return false;
}

/** The pure part of upsertEnvFile: `content` with `values` applied. */
export function applyEnvUpdates(
  content: string,
  values: Record<string, string>,
): { content: string; replaced: string[]; added: string[] } {
  for (const key of Object.keys(values)) {
    if (!VALID_KEY.test(key)) throw new Error(`"${key}" is not a valid environment variable name`);
  }
  const formatted = new Map(Object.entries(values).map(([k, v]) => [k, formatEnvValue(v)]));
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  const lines = content === '' ? [] : content.split('\n');
  const out: string[] = [];
  const replaced = new Set<string>();

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const cr = line.endsWith('\r') ? '\r' : '';
    const m = KEY_LINE.exec(cr ? line.slice(0, -1) : line);
    const key = m?.[2];
    const value = key === undefined ? undefined : formatted.get(key);
    if (!m || key === undefined || value === undefined) {
      out.push(line);
      continue;
    }
    // A quoted value may run over several lines; those lines belong to this key and go too.
    const rest = (m[4] ?? '').trimStart();
    const quote = rest[0];
    if ((quote === '"' || quote === "'" || quote === '`') && !closes(rest.slice(1), quote)) {
      let end = i + 1;
      while (end < lines.length && !closes(lines[end] ?? '', quote)) end++;
      if (end < lines.length) i = end; // unterminated: dotenv reads only the first line, so replace only that
    }
    out.push(`${m[1] ?? ''}${key}${(m[3] ?? '=').startsWith(':') ? '=' : (m[3] ?? '=')}${value}${cr}`);
    replaced.add(key);
  }

  let result = out.join('\n');
  const added: string[] = [];
  for (const [key, value] of formatted) {
    if (replaced.has(key)) continue;
    if (result !== '' && !result.endsWith('\n')) result += eol;
    result += `${key}=${value}${eol}`;
    added.push(key);
  }
  return { content: result, replaced: [...replaced], added };
}

async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path); // write through a symlinked .env instead of replacing the link
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw error;
  }
}

/** Sets `values` in the dotenv file at `path` (created if missing), atomically, mode 0600. */
export async function upsertEnvFile(path: string, values: Record<string, string>): Promise<EnvFileUpdate> {
  const target = await resolveTarget(path);
  let before: string | null = null;
  try {
    before = await readFile(target, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { content, replaced, added } = applyEnvUpdates(before ?? '', values);

  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`can't write ${target}: the directory ${dirname(target)} does not exist`);
    }
    throw error;
  }
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chmod(0o600); // the mode given to open() is subject to the umask
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await chmod(target, 0o600);
  return { path: target, created: before === null, replaced, added };
}
