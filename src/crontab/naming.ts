/**
 * Pipeline names from commands, readable and stable: the same crontab gives the same names on every import, so an
 * import run twice finds its own files. The rule (docs/crontab.md):
 *
 * 1. Split the command (before its `%`) into simple commands at `&&`, `||`, `;`, `|` and parentheses.
 * 2. Take the first that does real work: skip set-up and guards (`cd`, `test`, `[`, `command -v`, `sleep`,
 *    `export`…), leading `VAR=value` words and shell keywords, and look through wrappers (`flock LOCK`,
 *    `timeout 5m`, `nice`, `ionice`, `env`, `sudo`, `chronic`…) and `sh -c '…'`.
 * 3. Its program's file name without the directory and a script extension names the job (`backup.sh` → backup);
 *    an interpreter or a multi-command tool (`php`, `python3`, `docker`, `run-parts`…) adds up to two of its
 *    arguments (`php artisan schedule:run` → php-artisan-schedule-run).
 * 4. Lower-case, anything but letters, digits and `_` becomes `-`, at most 40 characters; `job` if nothing is left.
 * 5. A name already taken gets `-2`, `-3`… in the order of the lines.
 */
import { shellTokens, type Token } from './shell-words.js';

const GUARDS = new Set(['cd', 'pushd', 'test', '[', '[[', 'command', 'type', 'which', 'hash', 'sleep', 'true', 'false', ':', 'export', 'source', '.', 'umask', 'set', 'unset', 'ulimit', 'mkdir', 'wait']);
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh']);
const RUNNERS = /^(?:sh|bash|dash|zsh|ksh|python[\d.]*|perl[\d.]*|ruby[\d.]*|php[\d.]*|node|nodejs|deno|bun|java|npm|npx|yarn|pnpm|make|docker|docker-compose|podman|kubectl|systemctl|run-parts|curl|wget|git|bundle|rake|rails|composer|drush|wp|ansible-playbook|su|runuser)$/;
/** Inline code (`perl -e '…'`) says little about the job; used only when nothing else is there. */
const INLINE = new Set(['-e', '-c', '-r', '--eval', '-E']);
const SCRIPT_EXTENSION = /\.(?:sh|bash|py|pl|rb|php|js|mjs|cjs|ts)$/;

interface Wrapper {
  /** Arguments before the command: flock's lock file, timeout's duration. */
  positional: number;
  valueOptions: string[];
}

const WRAPPERS: Record<string, Wrapper> = {
  nice: { positional: 0, valueOptions: ['-n', '--adjustment'] },
  ionice: { positional: 0, valueOptions: ['-c', '-n', '--class', '--classdata'] },
  flock: { positional: 1, valueOptions: ['-w', '--wait', '--timeout', '-E', '--conflict-exit-code'] },
  timeout: { positional: 1, valueOptions: ['-s', '--signal', '-k', '--kill-after'] },
  env: { positional: 0, valueOptions: ['-u', '--unset', '-C', '--chdir'] },
  sudo: { positional: 0, valueOptions: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U'] },
  'systemd-cat': { positional: 0, valueOptions: ['-t', '--identifier', '-p', '--priority'] },
  stdbuf: { positional: 0, valueOptions: ['-i', '-o', '-e'] },
  nohup: { positional: 0, valueOptions: [] },
  exec: { positional: 0, valueOptions: [] },
  chronic: { positional: 0, valueOptions: [] },
  cronic: { positional: 0, valueOptions: [] },
  setsid: { positional: 0, valueOptions: [] },
  unbuffer: { positional: 0, valueOptions: [] },
};

/** The base name for a command, before it is made unique. */
export function nameForCommand(command: string): string {
  return slug(nameWords(command).join('-')) || 'job';
}

/** Names made unique in order: the second `backup` is `backup-2`. */
export function uniqueNames(bases: readonly string[], taken: Iterable<string> = []): string[] {
  const used = new Set(taken);
  return bases.map((base) => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  });
}

function nameWords(command: string, depth = 0): string[] {
  let weak: string[] | undefined;
  for (const words of simpleCommands(shellTokens(command))) {
    const found = mainWords(words, depth);
    if (found === undefined) continue;
    if (!found.weak) return found.words;
    weak ??= found.words;
  }
  return weak ?? [];
}

function simpleCommands(tokens: Token[]): string[][] {
  const commands: string[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'op') commands.push([]);
    else commands[commands.length - 1]?.push(token.text);
  }
  return commands;
}

function mainWords(all: string[], depth: number): { words: string[]; weak: boolean } | undefined {
  let words = all;
  for (;;) {
    while (words[0] !== undefined && (KEYWORDS.has(words[0]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]))) words = words.slice(1);
    const program = words[0];
    if (program === undefined || GUARDS.has(program)) return undefined;
    const base = program.slice(program.lastIndexOf('/') + 1);
    const inner = innerCommand(base, words.slice(1));
    if (inner !== undefined && depth < 3) {
      const nested = nameWords(inner, depth + 1);
      if (nested.length > 0) return { words: nested, weak: false };
    }
    const wrapper = WRAPPERS[base];
    const unwrapped = wrapper === undefined ? [] : unwrap(words.slice(1), wrapper);
    // Not a wrapper, or one with nothing to run (a bare `env` prints the environment): the program names the job.
    if (unwrapped.length === 0) return programWords(base, words.slice(1));
    words = unwrapped;
  }
}

/** The command of `sh -c '…'`, `flock LOCK -c '…'`, `su - user -c '…'`. */
function innerCommand(program: string, args: string[]): string | undefined {
  if (SHELLS.has(program)) {
    // Options come first; one of them holds c (`-c`, `-lc`); the first operand is then the command.
    const operand = args.findIndex((arg) => !arg.startsWith('-'));
    const options = operand === -1 ? args : args.slice(0, operand);
    return options.some((arg) => /^-[A-Za-z]*c[A-Za-z]*$/.test(arg)) && operand !== -1 ? args[operand] : undefined;
  }
  if (program === 'flock') {
    const rest = unwrap(args, { positional: 0, valueOptions: WRAPPERS.flock?.valueOptions ?? [] }).slice(1);
    return rest[0] === '-c' || rest[0] === '--command' ? rest[1] : undefined;
  }
  if (program === 'su' || program === 'runuser') {
    const at = args.findIndex((arg) => arg === '-c' || arg === '--command');
    return at === -1 ? undefined : args[at + 1];
  }
  return undefined;
}

function unwrap(args: string[], wrapper: Wrapper): string[] {
  let rest = args;
  let positional = wrapper.positional;
  while (rest[0] !== undefined) {
    const word = rest[0];
    if (word === '--') rest = rest.slice(1);
    else if (word.startsWith('-') && word.length > 1) rest = rest.slice(wrapper.valueOptions.includes(word) ? 2 : 1);
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) rest = rest.slice(1);
    else if (positional > 0) {
      positional--;
      rest = rest.slice(1);
    } else break;
  }
  return rest;
}

function programWords(program: string, args: string[]): { words: string[]; weak: boolean } {
  const name = program.replace(SCRIPT_EXTENSION, '');
  if (!RUNNERS.test(program)) return { words: [name], weak: false };
  const weak = args.some((arg) => INLINE.has(arg));
  // Option values that are numbers (`-m 10`) or durations say nothing about the job.
  const extra = args.filter((arg) => !arg.startsWith('-') && !arg.includes('=') && !/^\d+[a-z]?$/.test(arg) && arg !== '').slice(0, 2).map(argumentWord);
  return { words: [name, ...extra], weak };
}

/** A URL stands for its host, a path for its file name without a script extension. */
function argumentWord(arg: string): string {
  const url = /^[a-z]+:\/\/([^/:?#]+)/i.exec(arg);
  if (url !== null) return url[1] ?? arg;
  const base = arg.replace(/\/+$/, '');
  return base.slice(base.lastIndexOf('/') + 1).replace(SCRIPT_EXTENSION, '');
}

function slug(text: string): string {
  const clean = text.toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^[-_]+|-+$/g, '');
  if (clean.length <= 40) return clean;
  const cut = clean.slice(0, 40);
  const dash = cut.lastIndexOf('-');
  return (dash > 10 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
}
