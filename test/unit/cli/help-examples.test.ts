import { describe, expect, test } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/program.js';

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk), writeErr: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

describe("every command's --help", () => {
  const program = buildProgram('0.0.0', () => undefined);
  const commands = program.commands.flatMap((command) => (command.commands.length > 0 ? command.commands : [command])).filter((command) => !command.name().startsWith('__'));
  test.each(commands.map((command) => [command.name(), command] as const))('%s ends with real examples and the environment it reads', (name, command) => {
    const help = helpOf(command);
    const examples = help.split('Examples:\n')[1]?.split('\n\nEnvironment:\n') ?? [];
    const lines = (examples[0] ?? '').split('\n').filter((line) => line.startsWith('  $ flow '));
    expect(lines.length, name).toBeGreaterThanOrEqual(2);
    expect(lines.length, name).toBeLessThanOrEqual(3);
    expect(examples[1] ?? '', name).toMatch(/FLOW_(HOME|PIPELINES|CONFIG)/);
  });
});
