/**
 * An environment line, `NAME = value`, read by the rules of cronie's load_env (src/env.c). Every line that is not
 * a comment is first offered to these rules, and only when they fail is it read as a job; so `0 * * * * cmd` is a
 * job because `0` is followed by something other than `=`, and `A="x" # note` is not an assignment at all (the
 * quoted value must end the line), which makes cron read it as a job and refuse its minute field.
 *
 * - Blanks around `=` are optional. The name ends at a blank or `=`; it may be quoted, and then may not hold `=`.
 * - The value may be quoted, single or double, the quotes then removed and the blanks inside kept; after the
 *   closing quote only blanks may follow.
 * - An unquoted value runs to the end of the line, `#` included (crontab(5): no comments on assignment lines);
 *   blanks at its end are dropped. An empty value (`MAILTO=`, `MAILTO=""`) is an assignment of "".
 * - An unclosed quote makes the line no assignment.
 */

export interface Assignment {
  name: string;
  value: string;
}

/** C's isspace in the "C" locale, which load_env uses for the blanks around `=` and after a quoted value. */
function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';
}

type State = 'name-start' | 'name' | 'before-eq' | 'after-eq' | 'value-start' | 'value' | 'done' | 'error';

/** `text` is the line from its first non-blank character, without the line ending; undefined: not an assignment. */
export function parseAssignment(text: string): Assignment | undefined {
  let state: State = 'name-start';
  let quote = '';
  let name = '';
  let value = '';
  let i = 0;
  while (state !== 'error' && i < text.length) {
    const ch = text.charAt(i);
    switch (state) {
      case 'name-start':
      case 'value-start':
        // A quote opens only as the first character of the name or of the value.
        quote = ch === '"' || ch === "'" ? ch : '';
        if (quote !== '') i++;
        state = state === 'name-start' ? 'name' : 'value';
        break;
      case 'name':
        if (quote !== '') {
          if (ch === quote) state = 'before-eq';
          else if (ch === '=') state = 'error';
          else name += ch;
          i++;
        } else if (isSpace(ch)) {
          state = 'before-eq';
          i++;
        } else if (ch === '=') {
          state = 'before-eq';
        } else {
          name += ch;
          i++;
        }
        break;
      case 'before-eq':
        if (ch === '=') {
          state = 'after-eq';
          quote = '';
        } else if (!isSpace(ch)) {
          state = 'error';
        }
        i++;
        break;
      case 'after-eq':
        if (isSpace(ch)) i++;
        else state = 'value-start';
        break;
      case 'value':
        if (quote !== '' && ch === quote) state = 'done';
        else value += ch;
        i++;
        break;
      case 'done':
        if (isSpace(ch)) i++;
        else state = 'error';
        break;
    }
  }
  if (state === 'after-eq' || state === 'done') return { name, value };
  if (state === 'value' && quote === '') return { name, value: value.replace(/[ \t\n\r\v\f]+$/, '') };
  return undefined;
}
