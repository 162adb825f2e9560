// User text (file names, names from data files, arguments) printed to a terminal must not be
// able to drive it: an escape sequence could recolour, move the cursor, retitle the window or
// hide what follows. Control characters (C0, DEL, C1) and the bidirectional overrides are shown
// as visible escapes instead (`\x1b`, `\u202e`).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_NEWLINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/** `text` with every control character escaped; with `keepNewlines`, line breaks stay. */
export function escapeControl(text: string, opts: { keepNewlines?: boolean } = {}): string {
  return text.replace(opts.keepNewlines ? CONTROL_BUT_NEWLINES : CONTROL, visible);
}
