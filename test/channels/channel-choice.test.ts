import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { channelOrder, chooseChannel, contactFor, type ChannelPolicy, type Reachable } from '../../server/channels/channel-choice.ts';

const ALL: ChannelPolicy = { order: ['email', 'sms'], available: ['whatsapp', 'email', 'sms'] };
const person = (overrides: Partial<Reachable> = {}): Reachable => ({ email: 'ana@example.com', phone: '+5511999999999', channels: null, ...overrides });

describe('choosing a channel', () => {
  test('without a choice of their own, a person is reached in CHANNEL_ORDER, then by every other channel set up', () => {
    assert.deepEqual(channelOrder(person(), ALL), ['email', 'sms', 'whatsapp']);
    assert.deepEqual(channelOrder(person(), { ...ALL, order: ['whatsapp', 'sms'] }), ['whatsapp', 'sms', 'email']);
  });

  test('the person’s own channels come first', () => {
    assert.deepEqual(channelOrder(person({ channels: ['sms'] }), { ...ALL, order: ['whatsapp', 'email'] }), ['sms', 'whatsapp', 'email']);
  });

  test('a channel without its contact, or not set up in this deployment, is skipped', () => {
    assert.deepEqual(channelOrder(person({ email: null }), ALL), ['sms', 'whatsapp']);
    assert.deepEqual(channelOrder(person({ phone: null, channels: ['whatsapp', 'email'] }), ALL), ['email']);
    assert.deepEqual(channelOrder(person({ channels: ['whatsapp'] }), { order: ['email', 'sms'], available: ['email', 'sms'] }), ['email', 'sms']);
    assert.equal(chooseChannel(person({ email: null, phone: null }), ALL), undefined);
  });

  test('WhatsApp and SMS both reach the phone', () => {
    assert.equal(contactFor(person(), 'whatsapp'), '+5511999999999');
    assert.equal(contactFor(person(), 'sms'), '+5511999999999');
    assert.equal(contactFor(person(), 'email'), 'ana@example.com');
  });

  test('a channel that failed for good is passed over for the next', () => {
    const order = { ...ALL, order: ['whatsapp', 'sms', 'email'] } as const;
    assert.equal(chooseChannel(person(), order, ['whatsapp']), 'sms');
    assert.equal(chooseChannel(person(), order, ['whatsapp', 'sms']), 'email');
  });

  test('when every channel has failed, a fallback has nowhere to go, while a new message starts over from the best', () => {
    const failed = ['whatsapp', 'sms', 'email'] as const;
    assert.equal(chooseChannel(person(), ALL, failed, 'fallback'), undefined);
    assert.equal(chooseChannel(person(), ALL, failed), 'email');
  });
});
