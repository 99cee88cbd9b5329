// CPF and CNPJ check digits: a typo in the operator's data is refused when the user is registered,
// before Belvo would refuse the token it goes into.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { documentDigits, isValidDocument } from '../../server/users/identity-document.ts';

describe('isValidDocument', () => {
  test('accepts real CPFs and CNPJs, written with or without punctuation', () => {
    for (const cpf of ['529.982.247-25', '76109277673', '111.444.777-35']) assert.ok(isValidDocument('CPF', documentDigits(cpf)), cpf);
    for (const cnpj of ['11.222.333/0001-81', '11444777000161']) assert.ok(isValidDocument('CNPJ', documentDigits(cnpj)), cnpj);
  });

  test('refuses a wrong check digit, a wrong length, letters and the repeated-digit numbers', () => {
    for (const cpf of ['52998224726', '52998224715', '5299822472', '529982247255', '5299822472a', '11111111111', '00000000000']) {
      assert.equal(isValidDocument('CPF', cpf), false, cpf);
    }
    for (const cnpj of ['11222333000182', '11222333000191', '1122233300018', '00000000000000']) {
      assert.equal(isValidDocument('CNPJ', cnpj), false, cnpj);
    }
  });

  test('a CPF is not a CNPJ, nor the other way round', () => {
    assert.equal(isValidDocument('CNPJ', '52998224725'), false);
    assert.equal(isValidDocument('CPF', '11222333000181'), false);
  });
});
