// A configuration that cannot run: main.ts prints its message, which names the variable, and exits.
export class ConfigError extends Error {}
