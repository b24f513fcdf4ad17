/**
 * `flow completion bash|zsh|fish`: a completion script built from the command line's own declarations (commands,
 * their options), so it cannot drift from them. Pipeline names, task names and recent run ids are asked of
 * `flow __complete KIND` as the user types, so they are always the current ones.
 */
import type { Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What a command's positional arguments are. */
const ARGS: Record<string, 'pipelines' | 'runs' | 'runs-tasks'> = {
  run: 'pipelines',
  trigger: 'pipelines',
  pause: 'pipelines',
  unpause: 'pipelines',
  backfill: 'pipelines',
  next: 'pipelines',
  graph: 'pipelines',
  test: 'pipelines',
  stop: 'runs',
  show: 'runs',
  history: 'runs',
  retry: 'runs',
  logs: 'runs-tasks',
};

/** Options whose value can be completed. */
const VALUES: Record<string, string> = {
  '--task': '$(flow __complete tasks "$pipeline" 2>/dev/null)',
  '--only': '$(flow __complete tasks "$pipeline" 2>/dev/null)',
  '--from': '$(flow __complete tasks "$pipeline" 2>/dev/null)',
  '--run': '$(flow __complete runs 2>/dev/null)',
  '--pipeline': '$(flow __complete pipelines 2>/dev/null)',
  '--format': 'mermaid dot',
  '--status': 'running success failed cancelled interrupted skipped',
  '--trigger': 'manual schedule catchup backfill command api',
  '--event': 'on_failure on_retry on_success on_start',
  '--rerun': 'missing failed all',
};

interface CommandSpec {
  name: string;
  description: string;
  options: { flags: string[]; description: string }[];
  args: string | undefined;
}

function specOf(program: Command): CommandSpec[] {
  const specs: CommandSpec[] = [];
  for (const command of program.commands) {
    if (command.name().startsWith('__')) continue;
    const options = command.options.map((option) => ({ flags: [option.long, option.short].filter((flag): flag is string => flag !== undefined), description: option.description }));
    specs.push({ name: command.name(), description: command.description(), options: [...options, { flags: ['--help', '-h'], description: 'show help' }], args: ARGS[command.name()] });
    // `flow hooks test`: the subcommand's words are completed after `hooks`.
    for (const sub of command.commands) specs.push({ name: `${command.name()} ${sub.name()}`, description: sub.description(), options: sub.options.map((option) => ({ flags: [option.long, option.short].filter((flag): flag is string => flag !== undefined), description: option.description })), args: ARGS[sub.name()] });
  }
  return specs;
}

const WORDS: Record<string, string> = {
  pipelines: '$(flow __complete pipelines 2>/dev/null)',
  runs: '$(flow __complete pipelines 2>/dev/null) $(flow __complete runs 2>/dev/null)',
  'runs-tasks': '$(flow __complete pipelines 2>/dev/null) $(flow __complete runs 2>/dev/null) $(flow __complete tasks 2>/dev/null)',
};

export function completionScript(shell: Shell, program: Command): string {
  const specs = specOf(program);
  if (shell === 'fish') return fish(specs);
  const top = specs.filter((spec) => !spec.name.includes(' ')).map((spec) => spec.name);
  const optionCases = specs.map((spec) => `    "${spec.name}") opts="${spec.options.flatMap((option) => option.flags).join(' ')}" ;;`).join('\n');
  const argCases = Object.entries(WORDS)
    .map(([kind, words]) => `    ${specs.filter((spec) => spec.args === kind).map((spec) => `"${spec.name}"`).join('|') || '"-"'}) words="${words}" ;;`)
    .join('\n');
  const valueCases = Object.entries(VALUES).map(([flag, words]) => `    ${flag}) words="${words}" ;;`).join('\n');
  // One function serves bash and zsh (zsh through bashcompinit, which both ship): same words, one place.
  const body = `# flow completion for ${shell}; load with: source <(flow completion ${shell})
_flow_words() {
  # $1: the words typed so far (after "flow"); prints the candidates for the last one.
  local cmd="$1" sub="$2" prev="$3" cur="$4" pipeline="$5" opts="" words=""
  if [ "$cmd" = "hooks" ] && [ -n "$sub" ]; then cmd="hooks $sub"; fi
  case "$prev" in
${valueCases}
  esac
  if [ -z "$words" ]; then
    case "$cur" in
      -*)
        case "$cmd" in
${optionCases}
        esac
        words="$opts" ;;
      *)
        case "$cmd" in
${argCases}
    "hooks") words="test" ;;
        esac ;;
    esac
  fi
  printf '%s\\n' $words
}
_flow() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${top.join(' ')} completion" -- "$cur") )
    return
  fi
  local pipeline="\${COMP_WORDS[2]}"
  [ "\${COMP_WORDS[1]}" = "hooks" ] && pipeline="\${COMP_WORDS[3]}"
  COMPREPLY=( $(compgen -W "$(_flow_words "\${COMP_WORDS[1]}" "\${COMP_WORDS[2]}" "$prev" "$cur" "$pipeline")" -- "$cur") )
}
`;
  if (shell === 'bash') return `${body}complete -F _flow flow\n`;
  return `#compdef flow\n${body}autoload -U +X bashcompinit && bashcompinit\ncomplete -F _flow flow\n`;
}

function fish(specs: CommandSpec[]): string {
  const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = ['# flow completion for fish; load with: flow completion fish | source', 'complete -c flow -f'];
  const top = specs.filter((spec) => !spec.name.includes(' '));
  for (const spec of top) lines.push(`complete -c flow -n __fish_use_subcommand -a ${spec.name} -d ${quote(spec.description.slice(0, 80))}`);
  lines.push("complete -c flow -n __fish_use_subcommand -a completion -d 'print a completion script for bash, zsh or fish'");
  lines.push("complete -c flow -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'");
  for (const spec of specs) {
    const words = spec.name.split(' ');
    const when = words.length === 1 ? `__fish_seen_subcommand_from ${spec.name}` : `__fish_seen_subcommand_from ${words[1] ?? ''}`;
    for (const option of spec.options) {
      const long = option.flags.find((flag) => flag.startsWith('--'))?.slice(2);
      const short = option.flags.find((flag) => !flag.startsWith('--'))?.slice(1);
      const value = long === undefined ? undefined : VALUES[`--${long}`];
      const values = value === undefined ? '' : ` -x -a ${quote(value.replace(/ 2>\/dev\/null/, '').replace('"$pipeline"', '(commandline -opc)[3]').replace(/\$\(/g, '('))}`;
      lines.push(`complete -c flow -n ${quote(when)}${long === undefined ? '' : ` -l ${long}`}${short === undefined ? '' : ` -s ${short}`} -d ${quote(option.description.slice(0, 80))}${values}`);
    }
    if (spec.args !== undefined) {
      const kinds = spec.args === 'pipelines' ? ['pipelines'] : spec.args === 'runs' ? ['pipelines', 'runs'] : ['pipelines', 'runs', 'tasks'];
      lines.push(`complete -c flow -n ${quote(when)} -a ${quote(kinds.map((kind) => `(flow __complete ${kind})`).join(' '))}`);
    }
  }
  lines.push("complete -c flow -n '__fish_seen_subcommand_from hooks' -a test");
  return `${lines.join('\n')}\n`;
}
