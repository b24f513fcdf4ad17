/**
 * A task's output bytes as safe HTML for a <pre>: every character escaped, bytes that are not UTF-8 shown as U+FFFD,
 * SGR colour escapes (ECMA-48 `CSI … m`) rendered as classed spans, every other escape sequence dropped, and other
 * control characters shown as their Unicode control pictures (␛, ␇), never passed on raw.
 *
 * Bytes are consumed only up to the last whole unit: a UTF-8 character or escape sequence cut off at the end of a
 * chunk is left for the next one (unless `final`), so `consumed` is an exact byte offset to resume from.
 */

export interface AnsiStyle {
  fg: number | null;
  bg: number | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
}

export const plainStyle = (): AnsiStyle => ({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false });

export interface Rendered {
  html: string;
  /** How many bytes of the input the html covers. */
  consumed: number;
}

/** An escape sequence longer than this is not one: shown as text rather than held back for good. */
const MAX_SEQUENCE = 256;
const ESC = 0x1b;

export function renderLog(bytes: Uint8Array, style: AnsiStyle, final: boolean): Rendered {
  const end = final ? bytes.length : wholeEnd(bytes);
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, end));
  let html = open(style);
  let plain = '';
  const flush = (): void => {
    html += escapeHtml(plain);
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === ESC) {
      const length = sequenceLength(text, i);
      if (length > 1) {
        const sequence = text.slice(i, i + length);
        if (sequence.startsWith('\u001b[') && sequence.endsWith('m')) {
          flush();
          html += close(style);
          applySgr(style, sequence.slice(2, -1));
          html += open(style);
        }
        i += length - 1;
        continue;
      }
    }
    if (code === 13) {
      // CR LF is a line end; a lone CR (progress bars) starts a new line rather than overprinting.
      if (text.charCodeAt(i + 1) !== 10) plain += '\n';
      continue;
    }
    if ((code < 0x20 && code !== 9 && code !== 10) || code === 0x7f) {
      plain += String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
      continue;
    }
    if (code >= 0x80 && code < 0xa0) {
      plain += '\ufffd';
      continue;
    }
    plain += text[i];
  }
  flush();
  html += close(style);
  return { html, consumed: end };
}

/**
 * The end of the last whole unit: before an incomplete UTF-8 character, an incomplete escape sequence or a CR that
 * may be the first half of CR LF.
 */
function wholeEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  for (let back = 1; back <= Math.min(4, end); back++) {
    const byte = bytes[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (needed > back) end -= back;
    break;
  }
  const from = Math.max(0, end - MAX_SEQUENCE);
  for (let i = end - 1; i >= from; i--) {
    if (bytes[i] !== ESC) continue;
    const text = new TextDecoder('utf-8').decode(bytes.subarray(i, end));
    if (sequenceLength(text, 0) === 0) end = i;
    break;
  }
  if (end > 0 && bytes[end - 1] === 13) end -= 1;
  return end;
}

/** The length of the escape sequence at `i`: 0 when it is cut off by the end of `text`, 1 for a lone ESC. */
function sequenceLength(text: string, i: number): number {
  const kind = text[i + 1];
  if (kind === undefined) return 0;
  if (kind === '[') {
    for (let j = i + 2; j < text.length && j - i < MAX_SEQUENCE; j++) {
      const code = text.charCodeAt(j);
      if (code >= 0x40 && code <= 0x7e) return j - i + 1;
      if (code < 0x20 || code > 0x3f) return j - i;
    }
    return text.length - i < MAX_SEQUENCE ? 0 : 1;
  }
  if (kind === ']' || kind === 'P' || kind === '_' || kind === '^') {
    // OSC, DCS and the like end at BEL or ST (ESC \).
    for (let j = i + 2; j < text.length && j - i < MAX_SEQUENCE; j++) {
      if (text.charCodeAt(j) === 7) return j - i + 1;
      if (text.charCodeAt(j) === ESC && text[j + 1] === '\\') return j - i + 2;
    }
    return text.length - i < MAX_SEQUENCE ? 0 : 1;
  }
  // nF sequences: intermediate bytes (0x20–0x2F), then one final byte; Fp/Fe/Fs: one byte after ESC.
  for (let j = i + 1; j < text.length && j - i < MAX_SEQUENCE; j++) {
    const code = text.charCodeAt(j);
    if (code >= 0x30 && code <= 0x7e) return j - i + 1;
    if (code < 0x20 || code > 0x2f) return j === i + 1 ? 1 : j - i;
  }
  return 0;
}

function applySgr(style: AnsiStyle, params: string): void {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((part) => (part === '' ? 0 : Number(part)));
  for (let k = 0; k < codes.length; k++) {
    const code = codes[k] as number;
    if (code === 0) Object.assign(style, plainStyle());
    else if (code === 1) style.bold = true;
    else if (code === 2) style.dim = true;
    else if (code === 3) style.italic = true;
    else if (code === 4) style.underline = true;
    else if (code === 22) style.bold = style.dim = false;
    else if (code === 23) style.italic = false;
    else if (code === 24) style.underline = false;
    else if (code >= 30 && code <= 37) style.fg = code - 30;
    else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
    else if (code === 39) style.fg = null;
    else if (code >= 40 && code <= 47) style.bg = code - 40;
    else if (code >= 100 && code <= 107) style.bg = code - 100 + 8;
    else if (code === 49) style.bg = null;
    else if (code === 38 || code === 48) {
      // 256-colour (5;n) keeps its 16 basic colours; true colour (2;r;g;b) is skipped over.
      const mode = codes[k + 1];
      if (mode === 5) {
        const n = codes[k + 2] ?? 0;
        if (n < 16) style[code === 38 ? 'fg' : 'bg'] = n;
        k += 2;
      } else if (mode === 2) k += 4;
    }
  }
}

function classes(style: AnsiStyle): string[] {
  const list: string[] = [];
  if (style.fg !== null) list.push(`a-f${style.fg}`);
  if (style.bg !== null) list.push(`a-b${style.bg}`);
  if (style.bold) list.push('a-bold');
  if (style.dim) list.push('a-dim');
  if (style.italic) list.push('a-it');
  if (style.underline) list.push('a-ul');
  return list;
}

function open(style: AnsiStyle): string {
  const list = classes(style);
  return list.length === 0 ? '' : `<span class="${list.join(' ')}">`;
}

function close(style: AnsiStyle): string {
  return classes(style).length === 0 ? '' : '</span>';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
