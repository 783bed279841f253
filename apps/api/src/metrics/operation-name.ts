const MAX_NAMES = 200;

/**
 * Operation names come from clients, so they are a label only after they are made safe and
 * bounded: invalid or anonymous ones become `anonymous`, and past {@link MAX_NAMES} distinct
 * names the rest share `other`, so a client cannot blow up the series count.
 */
export function operationLabeller(): (name: string | undefined | null) => string {
  const seen = new Set<string>();
  return (name) => {
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'anonymous';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_NAMES) return 'other';
    seen.add(name);
    return name;
  };
}
