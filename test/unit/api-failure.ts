import { strict as assert } from 'node:assert';
import { ApiError } from '../../src/api';

/** The ApiError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function apiFailure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  return assert.fail('expected a failure');
}
