/**
 * `collapse-check` command line. Each command lives in `commands/<name>.ts` and exports
 * `register(program, setExit)`. Exit codes: 0 ok, 1 a check failed, 2 bad usage or input.
 *
 * Start-up: only the module of the command being run is imported (the others pull in vega,
 * mathjs, vitest…); top-level help and unknown commands import all of them.
 */
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, UsageError } from './io.ts';

type Register = (program: Command, setExit: (code: number) => void) => void;

const COMMANDS: Readonly<Record<string, () => Promise<{ register: Register }>>> = {
  verify: () => import('./commands/verify.ts'),
  simulate: () => import('./commands/simulate.ts'),
  audit: () => import('./commands/audit.ts'),
  merge: () => import('./commands/merge.ts'),
};

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let exitCode = 0;
  program
    .name('collapse-check')
    .description('Property-based verification of model-collapse theory for recursively trained diffusion models')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  const setExit = (code: number) => {
    exitCode = code;
  };
  const first = argv.find((a) => !a.startsWith('-'));
  const wanted = first !== undefined && first in COMMANDS && argv[0] === first ? [first] : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]!()).register(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
      return EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`collapse-check: ${err.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`collapse-check: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}
