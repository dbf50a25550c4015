import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentIds } from '../dist/recent-ids.js';

test('the window of recent ids keeps the last N and forgets the oldest', () => {
  const recent = new RecentIds(3);
  for (const id of ['a', 'b', 'c', 'd', 'b']) recent.add(id);
  assert.equal(recent.has('a'), false);
  assert.deepEqual(['b', 'c', 'd'].map((id) => recent.has(id)), [true, true, true]);
  recent.add('e');
  assert.equal(recent.has('b'), false, 'b was the oldest once a dropped');
  assert.equal(recent.has('e'), true);
});
