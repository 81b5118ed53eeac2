// The exhaustive-switch guard: a new union member that no case handles fails to compile here.

export function assertNever(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}
