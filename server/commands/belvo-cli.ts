// Entry of `npm run belvo -- <command>`; see register-webhook-command.ts.
import { runBelvoCli } from './register-webhook-command.ts';

process.exitCode = await runBelvoCli(process.argv.slice(2), {
  env: process.env,
  io: {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  },
});
