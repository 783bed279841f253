/** What the counting rules read from the text of a user line; computed before the text is dropped. */

const COMMAND_TAG = /<command-name>\s*\/?([^<\s]*)\s*<\/command-name>/g;
const LEADING_COMMAND = /^\s*\/([A-Za-z][\w:-]*)(?=\s|$)/;
/** Texts that Claude Code writes itself into user lines: output of commands, not a person typing. */
const OUTPUT_WRAPPERS = /^\s*<(local-command-stdout|local-command-stderr|bash-stdout|bash-stderr)>/;

/**
 * Slash commands in one text: every `<command-name>` tag (older versions omit the `/`), else a
 * text starting `/name` followed by whitespace or its end, so `/Users/me/x` and `/help.` are not.
 */
export function slashCommandsIn(text: string): string[] {
  if (text.includes('<command-name>')) {
    const names: string[] = [];
    for (const m of text.matchAll(COMMAND_TAG)) if (m[1]) names.push(m[1]);
    return names;
  }
  const m = LEADING_COMMAND.exec(text);
  return m ? [m[1]] : [];
}

/** A text a person typed (or a command they ran), as opposed to output Claude Code echoes back. */
export function isHumanText(text: string): boolean {
  return text.trim().length > 0 && !OUTPUT_WRAPPERS.test(text);
}
