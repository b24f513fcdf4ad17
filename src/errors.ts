/**
 * Typed domain errors. Domain code throws these with a stable `code`; only the CLI edge turns them into text for
 * people, a hint and an exit code (see src/cli/errors.ts).
 */
export type FlowErrorCode =
  | 'E_USAGE'
  | 'E_NOT_FOUND'
  | 'E_VALIDATION'
  | 'E_PIPELINE_NOT_FOUND'
  | 'E_TASK_NOT_FOUND'
  | 'E_HOME'
  | 'E_LOCKED'
  | 'E_STORE'
  | 'E_RUN_NOT_FOUND'
  | 'E_UNSAFE'
  | 'E_AMBIGUOUS'
  | 'E_RUN_ENDED'
  | 'E_NO_DAEMON'
  | 'E_SOCKET'
  | 'E_PARAM'
  | 'E_REDIS'
  | 'E_PROTOCOL';

export interface Problem {
  file: string;
  line?: number;
  col?: number;
  /** Dotted path inside the document, e.g. `tasks.load.retries`; empty for the whole file. */
  path: string;
  message: string;
}

export class FlowError extends Error {
  readonly code: FlowErrorCode;
  readonly hint: string | undefined;

  constructor(code: FlowErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'FlowError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** A pipeline file (or several) did not validate; carries every problem found, not just the first. */
export class ValidationError extends FlowError {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    super('E_VALIDATION', problems.map(formatProblem).join('\n'));
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

export function formatProblem(problem: Problem): string {
  const where = [problem.file, problem.line, problem.col].filter((part) => part !== undefined).join(':');
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}
