// redactText hides a secret in every form it travels in: as written, percent-encoded, in base64, and a user's
// password as part of the Basic value base64(user:password).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { REDACTED, redactText, secretForms } from '../../src/api/redact';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('redactText: every form of a secret', () => {
  const password = 'P@ss w/rd+ü=1?';

  it('hides the raw, percent-encoded and base64 forms of a secret', () => {
    const forms = {
      raw: password,
      encodeURIComponent: encodeURIComponent(password),
      lowerCaseEscapes: encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
      formEncoded: encodeURIComponent(password).replace(/%20/g, '+'),
      base64: b64(password),
      base64Unpadded: b64(password).replace(/=+$/, ''),
      base64url: Buffer.from(password).toString('base64url'),
    };
    for (const [name, form] of Object.entries(forms)) {
      const text = `before ${form} after; again:${form}.`;
      const out = redactText(text, [password]);
      assert.equal(out, `before ${REDACTED} after; again:${REDACTED}.`, `${name} (${form}) is not hidden: ${out}`);
    }
  });

  it('hides the Basic value of a user and password, and the password by itself', () => {
    const user = 'CORP\\admin';
    const basic = b64(`${user}:${password}`);
    const text = `Authorization: Basic ${basic}\npassword=${encodeURIComponent(password)}\n${password}`;
    const out = redactText(text, [{ user, password }]);
    assert.ok(!out.includes(basic) && !out.includes(password) && !out.includes(encodeURIComponent(password)), out);
    assert.equal(out, `Authorization: Basic ${REDACTED}\npassword=${REDACTED}\n${REDACTED}`);
    // A short password still makes a long Basic value, hidden; the password itself is too short to search for.
    const shortBasic = b64('u:abc');
    assert.equal(redactText(`Basic ${shortBasic} abc`, [{ user: 'u', password: 'abc' }]), `Basic ${REDACTED} abc`);
  });

  it('keeps the old signature: strings and undefined; secrets shorter than 4 characters are ignored', () => {
    assert.equal(redactText('token abcd and xyz', ['abcd', 'xyz', undefined]), `token ${REDACTED} and xyz`);
    assert.equal(redactText('nothing to hide'), 'nothing to hide');
    assert.deepEqual(secretForms('abc'), []);
    assert.deepEqual(secretForms(undefined), []);
    assert.deepEqual(secretForms({ user: 'u', password: undefined }), []);
    // Token-bearing JSON fields as before.
    assert.equal(redactText('{"access_token": "x.y.z"}'), `{"access_token": "${REDACTED}"}`);
  });

  it('replaces in one pass: a secret that reads like the placeholder, or holds regular-expression characters, does no harm', () => {
    assert.equal(redactText('a <redacted> b', ['redacted']), `a <${REDACTED}> b`);
    assert.equal(redactText('x.*+?^${}()|[]\\y', ['.*+?^${}()|[]\\']), `x${REDACTED}y`);
    // The longer of two overlapping secrets wins.
    assert.equal(redactText('secret-token-long', ['secret', 'secret-token-long']), REDACTED);
  });
});
