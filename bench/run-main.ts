// How a bench script ends: exit 0 once `main` resolves (whatever handles it left open), or print its error and exit 1.
export function runToExit(main: () => Promise<unknown>): void {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
