import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { smsEncoding, smsSegments, toGsm7 } from '../../server/messages/sms-encoding.ts';

describe('smsEncoding', () => {
  test('plain Latin text and the GSM-7 accented letters stay GSM-7', () => {
    assert.equal(smsEncoding('Hola, actualiza tu contraseña: https://x.io/r/a_b-c'), 'GSM-7');
    assert.equal(smsEncoding('é è ñ Ñ ü Ü ä ö à ¿ ¡ Ç € [ ] { } ~ ^ | \\'), 'GSM-7');
  });

  test('a single accent outside the GSM-7 tables switches the whole text to UCS-2', () => {
    for (const char of ['á', 'í', 'ó', 'ú', 'ã', 'õ', 'ç', 'ê', 'â', 'ô', '😀']) {
      assert.equal(smsEncoding(`Seu app financeiro ${char}`), 'UCS-2', char);
    }
  });
});

describe('smsSegments', () => {
  test('GSM-7 fits 160 characters in one segment and 153 per part beyond', () => {
    assert.equal(smsSegments(''), 1);
    assert.equal(smsSegments('a'.repeat(160)), 1);
    assert.equal(smsSegments('a'.repeat(161)), 2);
    assert.equal(smsSegments('a'.repeat(306)), 2);
    assert.equal(smsSegments('a'.repeat(307)), 3);
  });

  test('GSM-7 extension characters count twice', () => {
    assert.equal(smsSegments('€'.repeat(80)), 1);
    assert.equal(smsSegments('€'.repeat(81)), 2);
    assert.equal(smsSegments(`${'a'.repeat(159)}[`), 2);
  });

  test('UCS-2 fits 70 UTF-16 code units in one segment and 67 per part beyond', () => {
    assert.equal(smsSegments('á'.repeat(70)), 1);
    assert.equal(smsSegments('á'.repeat(71)), 2);
    assert.equal(smsSegments('á'.repeat(134)), 2);
    assert.equal(smsSegments('á'.repeat(135)), 3);
    // An emoji is two code units.
    assert.equal(smsSegments('😀'.repeat(35)), 1);
    assert.equal(smsSegments(`${'😀'.repeat(35)}a`), 2);
  });
});

describe('toGsm7', () => {
  test('Portuguese and Spanish names lose only the accents GSM-7 cannot carry', () => {
    assert.equal(toGsm7('João Conceição'), 'Joao Conceicao');
    assert.equal(toGsm7('Itaú Unibanco'), 'Itau Unibanco');
    assert.equal(toGsm7('Banco Ñandú'), 'Banco Ñandu');
    assert.equal(toGsm7('José Müller'), 'José Müller');
  });

  test('line breaks become spaces and characters with no GSM-7 form are dropped', () => {
    assert.equal(toGsm7(' Ana\n  María 😀 '), 'Ana Maria');
    assert.equal(toGsm7('银行'), '');
    assert.equal(smsEncoding(toGsm7('Ærø Ōsaka Łódź Straße')), 'GSM-7');
  });
});
