/**
 * Claude Code's answer when the person declines a permission prompt: the tool_result text
 * (sometimes prefixed `Error: `) and, on the same line, `toolUseResult: "User rejected tool use"`.
 */
const REJECTION_TEXT = "The user doesn't want to proceed with this tool use";
const REJECTION_RESULT = 'User rejected tool use';

/** Whether a tool_result item's content, or the line's toolUseResult, says the user rejected the use. */
export function isRejection(content: unknown, toolUseResult: unknown): boolean {
  if (typeof toolUseResult === 'string' && toolUseResult.startsWith(REJECTION_RESULT)) return true;
  if (typeof content === 'string') return content.includes(REJECTION_TEXT);
  if (Array.isArray(content)) {
    return content.some((c) => c !== null && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' && (c as { text: string }).text.includes(REJECTION_TEXT));
  }
  return false;
}
