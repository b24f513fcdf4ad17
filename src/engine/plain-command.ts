/**
 * Commands that need no shell, run as make runs them (GNU make, job.c: a line without shell metacharacters whose
 * first word is no shell builtin is exec'd directly). `sh -c 'prog a b'` costs a shell's start (and, where the
 * shell forks for the command, a second fork) for nothing the shell adds: here the words are split and `prog` is
 * looked up on the task's own PATH as sh would (POSIX XCU 2.9.1, "Command Search and Execution").
 *
 * Only what every POSIX shell reads the same way goes without it; anything else keeps the shell:
 * - plain words: letters, digits and `_ . / : , @ % + = -` separated by spaces or tabs — no quotes, `$`, backquote,
 *   globs, redirections, `;`, `&`, `|`, parentheses, braces, `~`, `#`, `!`, backslash or newline (XCU 2.2–2.6, 2.13);
 * - a first word that is no assignment (no `=`) and no reserved word or builtin of sh, dash, bash or busybox ash —
 *   but `true` and `false` without arguments and `echo` with no argument starting with `-` are the same programs in
 *   /bin or /usr/bin, which is where they must be found;
 * - a program found, before any other file of that name, as an executable regular file: under an absolute PATH
 *   entry, or named with a `/`. A missing or non-executable program keeps the shell, so "not found" (127) and
 *   "Permission denied" (126) are the shell's own words, whichever /bin/sh the system has;
 * - an environment that changes nothing in the shell itself (no BASH_ENV, ENV, SHELLOPTS, BASHOPTS, exported
 *   bash functions).
 * Without the shell the program gets what sh would have given it: argv[0] as written, and PWD as dash sets it.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export interface PlainCommand {
  /** What sh would hand to execve: the word as written if it has a `/`, else `<PATH entry>/<word>`. */
  file: string;
  args: string[];
  argv0: string;
  env: Record<string, string>;
}

const WORDS = /^[A-Za-z0-9_./:,@%+=-]+(?:[ \t]+[A-Za-z0-9_./:,@%+=-]+)*$/;

/** Reserved words and builtins (special and regular) of POSIX sh, dash, bash and busybox ash. */
const SHELL_WORDS = new Set(
  (
    '! { } [[ ]] case do done elif else esac fi for function if in select then time until while coproc ' +
    '. : break continue eval exec exit export readonly return set shift times trap unset ' +
    'alias bg cd chdir command echo false fc fg getopts hash jobs kill local printf pwd read test true type ' +
    'ulimit umask unalias wait bind builtin caller compgen complete compopt declare dirs disown enable help history ' +
    'let logout mapfile popd pushd readarray shopt source suspend typeset'
  ).split(' '),
);

/** Environment variables that make a shell run or print something of its own before the command. */
const SHELL_SETTINGS = ['BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS'];

/** The command without its shell, or undefined when it needs one (the rule is above). */
export function plainCommand(command: string, cwd: string, env: Record<string, string>): PlainCommand | undefined {
  const text = command.replace(/^[ \t]+|[ \t]+$/g, '');
  if (!WORDS.test(text)) return undefined;
  const [word = '', ...args] = text.split(/[ \t]+/);
  if (word.includes('=') || word.startsWith('-')) return undefined;
  if (SHELL_WORDS.has(word) && !sameAsBuiltin(word, args)) return undefined;
  if (SHELL_SETTINGS.some((name) => env[name] !== undefined) || Object.keys(env).some((name) => name.startsWith('BASH_FUNC_'))) return undefined;
  const file = findProgram(word, cwd, env.PATH);
  if (file === undefined) return undefined;
  if (SHELL_WORDS.has(word) && !/^\/(?:usr\/)?bin\/[a-z]+$/.test(file)) return undefined;
  return { file, args, argv0: word, env: { ...env, PWD: shellPwd(env.PWD, cwd) } };
}

function sameAsBuiltin(word: string, args: readonly string[]): boolean {
  if (word === 'true' || word === 'false') return args.length === 0;
  return word === 'echo' && !args.some((arg) => arg.startsWith('-'));
}

/** sh's search: the first PATH entry holding a file of that name decides; it must be an executable regular file. */
function findProgram(word: string, cwd: string, path: string | undefined): string | undefined {
  if (word.includes('/')) return runnable(resolve(cwd, word)) === 'yes' ? word : undefined;
  if (path === undefined) return undefined;
  for (const dir of path.split(':')) {
    // An empty or relative entry is searched relative to the task's directory; rare enough to leave to the shell.
    if (!isAbsolute(dir)) return undefined;
    const file = `${dir}/${word}`;
    const found = runnable(file);
    if (found === 'yes') return file;
    if (found === 'no') return undefined;
  }
  return undefined;
}

function runnable(file: string): 'yes' | 'no' | 'absent' {
  // Most PATH entries do not hold the program: no exception (and its stack trace) for each of them.
  let stat;
  try {
    stat = statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'absent' : 'no';
  }
  if (stat === undefined) return 'absent';
  if (!stat.isFile()) return 'no';
  try {
    accessSync(file, constants.X_OK);
    return 'yes';
  } catch {
    return 'no';
  }
}

/** dash at start-up: PWD stays if it names the current directory, else it becomes the physical path. */
function shellPwd(pwd: string | undefined, cwd: string): string {
  try {
    if (pwd !== undefined && isAbsolute(pwd)) {
      const [named, here] = [statSync(pwd), statSync(cwd)];
      if (named.dev === here.dev && named.ino === here.ino) return pwd;
    }
    return realpathSync(cwd);
  } catch {
    return cwd;
  }
}
