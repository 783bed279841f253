/**
 * Children's output arrives in arbitrary chunks; we cut it into whole lines and put the child's
 * name in front, so interleaved logs stay readable. A partial last line waits for its newline.
 */

/** Feeds chunks in, returns the complete prefixed lines; `flush` returns the rest. */
export interface LinePrefixer {
  push(chunk: string): string[];
  flush(): string[];
}

/** `name` padded to `width`, e.g. `aggregator | `. */
export function prefixFor(name: string, width: number): string {
  return `${name.padEnd(width)} | `;
}

export function createLinePrefixer(name: string, width = name.length): LinePrefixer {
  const prefix = prefixFor(name, width);
  let pending = '';
  return {
    push(chunk: string): string[] {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      return parts.map((line) => prefix + line.replace(/\r$/, ''));
    },
    flush(): string[] {
      if (pending === '') return [];
      const line = prefix + pending;
      pending = '';
      return [line];
    },
  };
}
