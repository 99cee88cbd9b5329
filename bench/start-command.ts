// What `npm start` runs, read from package.json: the variables it sets and the options it gives
// node. The benches and the tests start the compiled product with them, so that both run it as a
// deployment does (and a Node.js that refuses one of the options fails them).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface StartCommand {
  env: Record<string, string>;
  nodeOptions: string[];
}

const VARIABLE_ASSIGNMENT = /^([A-Z_]+)=(\S*)$/;
/** This file runs compiled (dist/bench/) or under tsx (bench/). */
const PACKAGE_JSON = new URL(import.meta.url.endsWith('.js') ? '../../package.json' : '../package.json', import.meta.url);

export function startCommand(): StartCommand {
  const pkg = JSON.parse(readFileSync(fileURLToPath(PACKAGE_JSON), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  const env: Record<string, string> = {};
  let assignment: RegExpExecArray | null;
  while ((assignment = VARIABLE_ASSIGNMENT.exec(words[0] ?? ''))) {
    env[assignment[1]!] = assignment[2]!;
    words.shift();
  }
  const [node, ...rest] = words;
  if (node !== 'node') throw new Error(`npm start does not run node: ${pkg.scripts.start}`);
  return { env, nodeOptions: rest.filter((arg) => arg.startsWith('--')) };
}
