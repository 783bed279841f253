/** What must never ship in the ccpulse package: tests, test support, fixtures, benchmarks, sources and maps. */
const UNWANTED = /\.spec\.|test-support|fixtures|^bench\/|^dist\/bench\/|\.map$|\.ts$|\.tsbuildinfo$|^tests\//;

/** The paths of `files` (as `npm pack --json` lists them) that must not be in the package. */
export function unwantedInPackage(files: readonly string[]): string[] {
  return files.filter((f) => UNWANTED.test(f));
}
