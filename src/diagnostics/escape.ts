// Escaping user text for a terminal. Diagnostics echo names, JSON keys, CSV headers, file names
// and source lines; raw control characters in them would be interpreted by the terminal (an
// escape sequence can move the cursor, recolour, retitle the window or hide text) and bidi
// overrides reorder what is shown ("Trojan Source"). Such characters are shown as escapes:
// `\x1b` for C0, DEL and C1 controls, `\u{202e}` for bidi controls, line separators and
// invisible format characters. Everything else, including other non-ASCII text, is kept.

/** Whether the code point is shown escaped. */
export function mustEscape(cp: number): boolean {
  return (
    cp < 0x20 || // C0 controls: ESC, BEL, CR, LF, TAB, …
    (cp >= 0x7f && cp <= 0x9f) || // DEL and C1 controls (0x9b is a one-byte CSI)
    cp === 0x061c || // Arabic letter mark
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, LRM, RLM
    (cp >= 0x2028 && cp <= 0x202e) || // line/paragraph separators, LRE RLE PDF LRO RLO
    (cp >= 0x2060 && cp <= 0x2069) || // word joiner, invisible operators, LRI RLI FSI PDI
    cp === 0xfeff // zero-width no-break space (BOM)
  );
}

/** The escape shown for a code point that must be escaped. */
export function escapeCodePoint(cp: number): string {
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u{${cp.toString(16)}}`;
}

/** `text` with every control, bidi and invisible format character escaped (tabs and newlines too, unless `keepNewlines`). */
export function escapeControl(text: string, opts: { keepNewlines?: boolean } = {}): string {
  // Fast path: most text has nothing to escape.
  let clean = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x061c || (c >= 0x200b && c <= 0xfeff)) {
      clean = false;
      break;
    }
  }
  if (clean) return text;
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += mustEscape(cp) && !(opts.keepNewlines && cp === 0x0a) ? escapeCodePoint(cp) : ch;
  }
  return out;
}

/**
 * JSON text with the characters `mustEscape` names written as `\uXXXX` escapes: the same JSON
 * value, safe to print to a terminal (JSON.stringify escapes C0 but leaves DEL, C1 and bidi raw).
 */
export function jsonSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
