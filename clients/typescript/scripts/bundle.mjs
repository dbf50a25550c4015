// Builds the single-file ES module for browsers (dist/browser/herald-push.js): the SDK without Node.js parts;
// the `ws` package is only imported where no global WebSocket exists, which is never in a browser.
// With --demo it also refreshes the copy push-api serves to its demo page (test/demo-bundle.test.mjs checks
// that copy matches this build).
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const bundleFile = `${root}dist/browser/herald-push.js`;
export const demoCopy = `${root}../../push-api/src/main/resources/static/demo/herald-push.js`;

await mkdir(`${root}dist/browser`, { recursive: true });
await build({
  entryPoints: [`${root}src/index.ts`],
  outfile: bundleFile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  external: ['ws'],
  legalComments: 'none',
  banner: { js: '// herald-push: Herald\'s TypeScript SDK, built from clients/typescript (npm run build). Do not edit.' },
  logLevel: 'warning',
});
if (process.argv.includes('--demo')) {
  await copyFile(bundleFile, demoCopy);
  console.log(`copied to ${demoCopy}`);
}
