/**
 * A rough reading of a shell command, for naming only: words with their quotes removed, and the operators that
 * separate simple commands. Redirections are dropped with their targets, and a `#` comment ends the command. It
 * never decides what runs: the command goes to the shell untouched.
 */

export type Token = { kind: 'word'; text: string } | { kind: 'op'; text: string };

const OPERATOR = /^(?:&&|\|\||;;|;|\|&|\||&|\(|\)|\n)/;
/** `>`, `2>>`, `&>`, `<<<`… with, for descriptor copies (`2>&1`, `<&-`), the target attached. */
const REDIRECT = /^(\d*)(&>>|&>|>>|>&|>\||<<<|<<-|<<|<&|<>|>|<)(\d+-?|-)?/;

export function shellTokens(command: string): Token[] {
  const tokens: Token[] = [];
  let word: string | undefined;
  let dropNext = false;
  const finish = (): void => {
    if (word === undefined) return;
    if (dropNext) dropNext = false;
    else tokens.push({ kind: 'word', text: word });
    word = undefined;
  };
  let i = 0;
  while (i < command.length) {
    const rest = command.slice(i);
    const ch = command.charAt(i);
    if (ch === ' ' || ch === '\t') {
      finish();
      i++;
      continue;
    }
    if (word === undefined && ch === '#') break;
    const redirect = word === undefined || ch === '>' || ch === '<' ? REDIRECT.exec(rest) : null;
    if (redirect !== null) {
      finish();
      const copies = /[&]$/.test(redirect[2] ?? '') && redirect[3] !== undefined;
      dropNext = !copies;
      i += redirect[0].length;
      continue;
    }
    const op = OPERATOR.exec(rest);
    if (op !== null) {
      finish();
      tokens.push({ kind: 'op', text: op[0] });
      i += op[0].length;
      continue;
    }
    word ??= '';
    if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      word += command.slice(i + 1, end === -1 ? undefined : end);
      i = end === -1 ? command.length : end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < command.length && command[j] !== '"') {
        if (command[j] === '\\' && '$`"\\'.includes(command.charAt(j + 1))) j++;
        word += command.charAt(j);
        j++;
      }
      i = j + 1;
    } else if (ch === '\\') {
      word += command.charAt(i + 1);
      i += 2;
    } else {
      word += ch;
      i++;
    }
  }
  finish();
  return tokens;
}
