// PUT /api/users/:externalId with a Brazilian identity document: validated by its check digits,
// stored as digits, shown back, kept when left out and cleared with null.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

describe('a user\'s document', () => {
  test('a CPF with punctuation is stored as digits, kept when left out, and cleared with null', async () => {
    const created = await putUser(t.app, 'doc-1', { email: 'ana@example.com', name: 'Ana Souza', document: { type: 'CPF', number: '529.982.247-25' } });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.user.document, { type: 'CPF', number: '52998224725' });
    const row = await t.database.db('users').where({ external_id: 'doc-1' }).first();
    assert.equal(row?.document_number, '52998224725');

    const kept = await putUser(t.app, 'doc-1', { phone: '+5511987654321' });
    assert.deepEqual(kept.body.user.document, { type: 'CPF', number: '52998224725' });

    const cleared = await putUser(t.app, 'doc-1', { document: null });
    assert.equal(cleared.body.user.document, null);
  });

  test('a CNPJ is accepted', async () => {
    const res = await putUser(t.app, 'doc-2', { email: 'empresa@example.com', document: { type: 'CNPJ', number: '11.222.333/0001-81' } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.user.document, { type: 'CNPJ', number: '11222333000181' });
  });

  const invalid: Array<[string, unknown, string]> = [
    ['a CPF with a wrong check digit', { type: 'CPF', number: '529.982.247-26' }, 'document.number'],
    ['a CNPJ given as a CPF', { type: 'CPF', number: '11222333000181' }, 'document.number'],
    ['an unknown type', { type: 'RG', number: '123456789' }, 'document.type'],
    ['a number missing', { type: 'CPF' }, 'document.number'],
    ['an extra field', { type: 'CPF', number: '52998224725', issued: '2020' }, 'document'],
    ['a bare string', '52998224725', 'document'],
  ];
  for (const [name, document, field] of invalid) {
    test(`${name} is refused with 400 naming ${field}, and nothing is stored`, async () => {
      const res = await putUser(t.app, 'doc-bad', { email: 'bad@example.com', document });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.field, field);
      assert.equal(await t.database.db('users').where({ external_id: 'doc-bad' }).first(), undefined);
    });
  }
});
