import { describe, expect, it } from 'vitest';
import { ApiError, asSentence, describeError, toErrorCode } from './errors';

describe('describeError', () => {
  it('shows the gateway’s own sentence for input errors', () => {
    expect(describeError(new ApiError('BAD_USER_INPUT', 'That username is taken.', 'Register'))).toBe('That username is taken.');
    expect(describeError(new ApiError('NOT_FOUND', 'This invite code is not valid, already used or expired.', 'AcceptInvite'))).toBe(
      'This invite code is not valid, already used or expired.',
    );
    expect(describeError(new ApiError('RATE_LIMITED', 'Too many failed logins; try again in 15 minute(s).', 'Login'))).toBe(
      'Too many failed logins; try again in 15 minute(s).',
    );
  });

  it('replaces technical messages with plain words', () => {
    expect(describeError(new ApiError('BAD_USER_INPUT', 'movie id must be a positive TMDb id'))).toBe(
      "That wasn't accepted. Check what you entered and try again.",
    );
    expect(describeError(new ApiError('INTERNAL', 'Internal server error.'))).toMatch(/went wrong on our side/);
    expect(describeError(new ApiError('UNAVAILABLE', 'A backend service is unavailable; try again shortly.'))).toMatch(/not responding/);
    expect(describeError(new ApiError('GRAPHQL_VALIDATION_FAILED', "Cannot query field 'x' on type 'Query'."))).toMatch(/Reload the page/);
    expect(describeError(new ApiError('NETWORK', 'network error'))).toMatch(/Can't reach movierec/);
  });

  it('turns a message written for people into a sentence where an operation knows it is one', () => {
    const zero = new ApiError('BAD_USER_INPUT', 'all axis weights are zero: give at least one axis a weight above zero', 'Similar');
    expect(describeError(zero)).toBe("That wasn't accepted. Check what you entered and try again.");
    const sentence = asSentence(zero, 'BAD_USER_INPUT');
    expect(describeError(sentence)).toBe('All axis weights are zero: give at least one axis a weight above zero.');
    expect((sentence as ApiError).operation).toBe('Similar');
    const other = new ApiError('INTERNAL', 'boom');
    expect(asSentence(other, 'BAD_USER_INPUT')).toBe(other);
    const already = new ApiError('BAD_USER_INPUT', 'That username is taken.');
    expect(asSentence(already, 'BAD_USER_INPUT')).toBe(already);
    expect(asSentence('boom', 'BAD_USER_INPUT')).toBe('boom');
  });

  it('shows credential errors from log-in, but a session message elsewhere', () => {
    expect(describeError(new ApiError('UNAUTHENTICATED', 'Wrong username or password.', 'Login'))).toBe('Wrong username or password.');
    expect(describeError(new ApiError('UNAUTHENTICATED', 'Token expired.', 'ForYou'))).toMatch(/logged in/);
  });

  it('handles errors that are not from the API', () => {
    expect(describeError(new TypeError('Failed to fetch'))).toMatch(/connection/);
    expect(describeError('boom')).toMatch(/unexpected/);
  });

  it('maps unknown codes to UNKNOWN', () => {
    expect(toErrorCode('TEAPOT')).toBe('UNKNOWN');
    expect(toErrorCode('FORBIDDEN')).toBe('FORBIDDEN');
    expect(toErrorCode(undefined)).toBe('UNKNOWN');
  });
});
