// push-api serves a built copy of the SDK to its demo page (push-api builds without Node.js); it must be this build.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('the demo page\'s copy of the SDK bundle is the current build (refresh: npm run demo-bundle)', () => {
  const built = readFileSync(new URL('../dist/browser/herald-push.js', import.meta.url), 'utf8');
  const served = readFileSync(new URL('../../../push-api/src/main/resources/static/demo/herald-push.js', import.meta.url), 'utf8');
  assert.ok(built === served, 'push-api/src/main/resources/static/demo/herald-push.js differs from the SDK build: run `npm run demo-bundle` in clients/typescript and commit it');
});
