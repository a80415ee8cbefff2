/**
 * `collapse-check` command line. Each command lives in `commands/<name>.ts` and exports
 * `register(program, setExit)`.
 *
 * Exit codes (src/cli/errors.ts): 0 ok, 1 a check failed (or an internal error: one line, the stack
 * only with --debug), 2 bad usage or input (one line naming the flag, field or file; nothing
 * written). With --json every outcome, errors included, prints one JSON document on stdout.
 * A closed stdout (`… | head -1`, EPIPE) ends the command quietly with exit 0.
 *
 * Start-up: only the module of the command being run is imported (the others pull in vega,
 * mathjs, vitest…); `--version`, the top-level help and unknown commands import none (the help lists
 * the commands from src/cli/command-summaries.ts, which each module also uses as its description),
 * `help CMD` only CMD's. A command whose module cannot be loaded fails when it is run, not before.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { classifyError, errorDocument, errorText, EXIT_OK, EXIT_USAGE } from './errors.ts';
import { toJson } from './io.ts';
import { COMMAND_SUMMARIES } from './command-summaries.ts';

type Register = (program: Command, setExit: (code: number) => void) => void;

const COMMANDS: Readonly<Record<string, () => Promise<{ register: Register }>>> = {
  verify: () => import('./commands/verify.ts'),
  simulate: () => import('./commands/simulate.ts'),
  audit: () => import('./commands/audit.ts'),
  merge: () => import('./commands/merge.ts'),
  reproduce: () => import('./commands/reproduce.ts'),
  fuzz: () => import('./commands/fuzz.ts'),
  claims: () => import('./commands/claims.ts'),
  explain: () => import('./commands/explain.ts'),
};

/** package.json's version (read once; `collapse-check --version`). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Registers `only` (the command being run: its module must load, or this throws) or, for the
 * top-level help and unknown commands, every command by its summary alone (no module is imported).
 */
export async function registerCommands(
  program: Command,
  commands: Readonly<Record<string, () => Promise<{ register: Register }>>>,
  only: string | null,
  setExit: (code: number) => void,
  summaries: Readonly<Record<string, string>> = COMMAND_SUMMARIES,
): Promise<void> {
  if (only) {
    (await commands[only]!()).register(program, setExit);
    return;
  }
  for (const name of Object.keys(commands)) program.command(name).description(summaries[name] ?? '');
}

let epipeGuardInstalled = false;
/** A reader that went away (`| head`) is not an error: end quietly with exit 0 (issue 17 row 15). */
function installEpipeGuard(): void {
  if (epipeGuardInstalled) return;
  epipeGuardInstalled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EXIT_OK);
      throw err;
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  installEpipeGuard();
  const debug = argv.includes('--debug') || process.env.COLLAPSE_DEBUG === '1';
  const json = argv.includes('--json');
  argv = argv.filter((a) => a !== '--debug');
  const program = new Command();
  let exitCode = 0;
  program
    .name('collapse-check')
    .description('Property-based verification of model-collapse theory for recursively trained diffusion models')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option('--debug', 'print the stack trace of internal errors')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 a check failed (or an internal error), 2 bad usage or input.\n' +
        'Files are written only into --out DIR or, for commands that always write a report, into their default\n' +
        'report directory (see the command\'s --help); simulate writes files only with --out. --json: one JSON\n' +
        'document on stdout (errors too), human text on stderr.',
    );
  const setExit = (code: number) => {
    exitCode = code;
  };
  const known = (name: string | undefined): name is string => name !== undefined && Object.hasOwn(COMMANDS, name);
  // `help CMD` is `CMD --help`: only that module is loaded
  if (argv[0] === 'help' && known(argv[1])) argv = [argv[1], '--help'];
  const command = known(argv[0]) ? argv[0] : null;
  // `--version` needs no command module
  const versionOnly = command === null && (argv.includes('--version') || argv.includes('-V'));
  try {
    if (!versionOnly) await registerCommands(program, COMMANDS, command, setExit);
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return EXIT_OK;
      if (json) process.stdout.write(toJson(errorDocument({ kind: 'bad-input', exitCode: EXIT_USAGE, message: err.message.replace(/^error: /, '') }, command)) + '\n');
      return EXIT_USAGE;
    }
    const e = classifyError(err, debug);
    process.stderr.write(errorText(e));
    if (json) process.stdout.write(toJson(errorDocument(e, command)) + '\n');
    return e.exitCode;
  }
  return exitCode;
}
