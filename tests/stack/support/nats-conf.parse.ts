/**
 * Just enough of the nats-server config language to check our files statically: maps, arrays,
 * quoted and bare strings, `key: value` / `key = value` / `key value`, `#` and `//` comments,
 * `include file` (relative to the including file) and `$VARIABLE` references, which resolve to a
 * value defined earlier in the config and are otherwise left as `{ env: NAME }`.
 */
import fs from 'node:fs';
import path from 'node:path';

export type ConfValue = string | number | boolean | ConfValue[] | ConfMap | { env: string };
export interface ConfMap {
  [key: string]: ConfValue;
}

type Token = { kind: 'punct'; value: string } | { kind: 'word'; value: string; quoted: boolean };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/\s|,|;/.test(c)) {
      i++;
    } else if ('{}[]:='.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated string at ${i}`);
      tokens.push({ kind: 'word', value: text.slice(i + 1, end), quoted: true });
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s,;{}[\]:=#]/.test(text[j])) j++;
      tokens.push({ kind: 'word', value: text.slice(i, j), quoted: false });
      i = j;
    }
  }
  return tokens;
}

/** Parse a config file, following includes; variables are looked up in the maps parsed so far. */
export function parseNatsConf(file: string, vars: ConfMap = {}): ConfMap {
  const tokens = tokenize(fs.readFileSync(file, 'utf8'));
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const t = tokens[pos++];
    if (!t) throw new Error(`${file}: unexpected end of file`);
    return t;
  };

  const scalar = (t: Token & { kind: 'word' }): ConfValue => {
    if (t.quoted) return t.value;
    if (t.value.startsWith('$')) {
      const name = t.value.slice(1);
      return name in vars ? vars[name] : { env: name };
    }
    if (/^(true|false)$/i.test(t.value)) return t.value.toLowerCase() === 'true';
    if (/^-?\d+$/.test(t.value)) return Number(t.value);
    return t.value;
  };

  const value = (): ConfValue => {
    const t = next();
    if (t.kind === 'punct' && t.value === '{') return map('}');
    if (t.kind === 'punct' && t.value === '[') {
      const items: ConfValue[] = [];
      while (!(peek()?.kind === 'punct' && peek()!.value === ']')) items.push(value());
      next();
      return items;
    }
    if (t.kind === 'word') return scalar(t);
    throw new Error(`${file}: unexpected '${t.value}'`);
  };

  const map = (close: '}' | 'eof'): ConfMap => {
    const out: ConfMap = {};
    for (;;) {
      const t = peek();
      if (!t) {
        if (close === 'eof') return out;
        throw new Error(`${file}: missing '}'`);
      }
      if (t.kind === 'punct' && t.value === '}' && close === '}') {
        next();
        return out;
      }
      const key = next();
      if (key.kind !== 'word') throw new Error(`${file}: expected a key, got '${key.value}'`);
      if (key.value === 'include') {
        const inc = next();
        const included = parseNatsConf(path.resolve(path.dirname(file), inc.value), vars);
        Object.assign(out, included);
        continue;
      }
      const sep = peek();
      if (sep?.kind === 'punct' && (sep.value === ':' || sep.value === '=')) next();
      if (key.value in out) throw new Error(`${file}: duplicate '${key.value}'`);
      out[key.value] = value();
      // Top-level assignments are also variables for what follows (as in nats-server).
      if (close === 'eof') vars[key.value] = out[key.value];
    }
  };

  return map('eof');
}
