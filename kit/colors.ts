/**
 * Terminal colours, off when the output is not a terminal or NO_COLOR is set.
 */
export const enabled =
  !process.env.NO_COLOR &&
  (Boolean(process.env.FORCE_COLOR) || process.stdout.isTTY === true);

const paint = (open: number, close: number) => (text: string) =>
  enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;

export const bold = paint(1, 22);
export const dim = paint(2, 22);
export const red = paint(31, 39);
export const green = paint(32, 39);
export const yellow = paint(33, 39);
export const cyan = paint(36, 39);

export function stripColors(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/**
 * Text that arrives coloured (vitest's diffs), without its colours when colour
 * is off.
 */
export function plain(text: string): string {
  return enabled ? text : stripColors(text);
}
