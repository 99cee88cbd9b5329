// The forms a person's data takes in free text, and their replacement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERASED, personalStrings, personalTextScrubber } from '../../server/privacy/personal-text.ts';

test('finds the values as they are, inside JSON, and a CPF or CNPJ as people write it', () => {
  const scrub = personalTextScrubber(personalStrings(['Ana "Nina" Souza', 'ana@example.com', '52998224725', '529.982.247-25']));
  const stored = JSON.stringify({ reason: 'Ana "Nina" Souza (ana@example.com, CPF 529.982.247-25 / 52998224725) left' });
  assert.equal(JSON.parse(scrub(stored)).reason, `${ERASED} (${ERASED}, CPF ${ERASED} / ${ERASED}) left`);
});

test('leaves alone values too short to be told from ordinary words', () => {
  assert.deepEqual(personalStrings(['Al', null, undefined, '']), []);
  assert.equal(personalTextScrubber(personalStrings(['Al']))('Also'), 'Also');
});
