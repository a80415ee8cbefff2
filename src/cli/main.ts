/**
 * `collapse-check` command line. Each command lives in `commands/<name>.ts` and exports
 * `register(program)`. Exit codes: 0 ok, 1 a check failed, 2 bad usage or input.
 */
import { Command, CommanderError } from 'commander';
import { register as registerSimulate } from './commands/simulate.ts';
import { register as registerVerify } from './commands/verify.ts';
import { register as registerMerge } from './commands/merge.ts';
import { register as registerAudit } from './commands/audit.ts';
import { EXIT_USAGE, UsageError } from './io.ts';

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
  registerSimulate(program, setExit);
  registerVerify(program, setExit);
  registerMerge(program, setExit);
  registerAudit(program, setExit);
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
