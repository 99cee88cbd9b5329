// End users and the Belvo links tied to them, as the operator registers them.
import type { Knex } from 'knex';
import { z } from 'zod';
import { CHANNEL_NAMES, type ChannelName } from '../channels/channel.ts';
import { isSqlite } from '../db/database.ts';
import type { LinkRow, UserRow } from '../db/tables.ts';
import type { Locale } from '../i18n/locale.ts';
import type { DocumentType, IdentityDocument } from './identity-document.ts';

type Db = Knex | Knex.Transaction;

export interface UserRecord {
  id: number;
  externalId: string;
  email: string | null;
  phone: string | null;
  locale: Locale | null;
  name: string | null;
  /** The user's channels in order of preference; null when the operator named none. */
  channels: ChannelName[] | null;
  /** IANA time zone for quiet hours; null: the institution's country decides. */
  timeZone: string | null;
  /** CPF or CNPJ, for Brazilian Open Finance; null when the operator gave none. */
  document: IdentityDocument | null;
  createdAt: number;
  updatedAt: number;
}

export interface LinkRecord {
  linkId: string;
  externalId: string;
  institution: string | null;
  institutionDisplayName: string | null;
}


const USER_CHANNELS = z.array(z.enum(CHANNEL_NAMES));

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    externalId: row.external_id,
    email: row.email,
    phone: row.phone,
    locale: row.locale as Locale | null,
    name: row.name,
    channels: row.channels ? USER_CHANNELS.parse(JSON.parse(row.channels)) : null,
    timeZone: row.time_zone,
    document:
      row.document_type && row.document_number ? { type: row.document_type as DocumentType, number: row.document_number } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface UserInput {
  email?: string | null;
  phone?: string | null;
  locale?: Locale | null;
  name?: string | null;
  channels?: ChannelName[] | null;
  timeZone?: string | null;
  document?: IdentityDocument | null;
}

function userColumns(input: UserInput): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  if (input.email !== undefined) columns['email'] = input.email;
  if (input.phone !== undefined) columns['phone'] = input.phone;
  if (input.locale !== undefined) columns['locale'] = input.locale;
  if (input.name !== undefined) columns['name'] = input.name;
  if (input.channels !== undefined) columns['channels'] = input.channels && JSON.stringify(input.channels);
  if (input.timeZone !== undefined) columns['time_zone'] = input.timeZone;
  if (input.document !== undefined) {
    columns['document_type'] = input.document?.type ?? null;
    columns['document_number'] = input.document?.number ?? null;
  }
  return columns;
}

/** Creates or updates a user; fields left out of `input` keep their stored value. */
export async function upsertUser(
  db: Db,
  externalId: string,
  input: UserInput,
  now: number,
): Promise<{ user: UserRecord; created: boolean }> {
  const columns = userColumns(input);
  const inserted = await db('users')
    .insert({ external_id: externalId, ...columns, created_at: now, updated_at: now })
    .onConflict('external_id')
    .ignore()
    .returning('id');
  if (inserted.length === 0) {
    await db('users').where({ external_id: externalId }).update({ ...columns, updated_at: now });
  }
  const user = await findUserByExternalId(db, externalId);
  return { user: user!, created: inserted.length > 0 };
}

export async function findUserByExternalId(db: Db, externalId: string): Promise<UserRecord | undefined> {
  const row = await db('users').where({ external_id: externalId }).first();
  return row && toUser(row);
}

/**
 * The user, locked on PostgreSQL until the transaction ends (SQLite's one writer serialises anyway):
 * a case another transaction opens for them meanwhile waits, then finds them gone.
 */
export async function lockUserByExternalId(trx: Knex.Transaction, externalId: string): Promise<UserRecord | undefined> {
  const query = trx('users').where({ external_id: externalId });
  if (!isSqlite(trx)) query.forUpdate();
  const row = await query.first();
  return row && toUser(row);
}

export async function findUserById(db: Db, id: number): Promise<UserRecord | undefined> {
  const row = await db('users').where({ id }).first();
  return row && toUser(row);
}

/** Several users at once, by id: one query for a batch of work. */
export async function findUsersByIds(db: Db, ids: readonly number[]): Promise<Map<number, UserRecord>> {
  const rows = await db('users').whereIn('id', [...new Set(ids)]);
  return new Map(rows.map((row) => [row.id, toUser(row)]));
}

/** Erasure: the user's links lose their registration, and the user goes. */
export async function deleteUserAndLinks(trx: Knex.Transaction, user: { id: number; externalId: string }): Promise<void> {
  await trx('links').where({ external_id: user.externalId }).delete();
  await trx('users').where({ id: user.id }).delete();
}

/** The links registered to a person. */
export async function linkIdsOfUser(db: Db, externalId: string): Promise<string[]> {
  return (await db('links').where({ external_id: externalId }).select('link_id')).map((row) => row.link_id);
}

export async function upsertLink(
  db: Db,
  link: LinkRecord,
  now: number,
): Promise<{ link: LinkRecord; created: boolean }> {
  const columns = {
    external_id: link.externalId,
    institution: link.institution,
    institution_display_name: link.institutionDisplayName,
  };
  const inserted = await db('links')
    .insert({ link_id: link.linkId, ...columns, created_at: now, updated_at: now })
    .onConflict('link_id')
    .ignore()
    .returning('link_id');
  if (inserted.length === 0) await db('links').where({ link_id: link.linkId }).update({ ...columns, updated_at: now });
  return { link, created: inserted.length > 0 };
}


function toLink(row: LinkRow): LinkRecord {
  return {
    linkId: row.link_id,
    externalId: row.external_id,
    institution: row.institution,
    institutionDisplayName: row.institution_display_name,
  };
}

export async function findLink(db: Db, linkId: string): Promise<LinkRecord | undefined> {
  const row = await db('links').where({ link_id: linkId }).first();
  return row && toLink(row);
}

/** Several links at once, by id: one query for a batch of work. */
export async function findLinks(db: Db, linkIds: readonly string[]): Promise<Map<string, LinkRecord>> {
  const rows = await db('links').whereIn('link_id', [...new Set(linkIds)]);
  return new Map(rows.map((row) => [row.link_id, toLink(row)]));
}

/** The webhook's own external_id names the user first; else the operator's registration of the link. */
export async function findUserForWebhook(
  db: Db,
  externalId: string | null | undefined,
  link: LinkRecord | undefined,
): Promise<UserRecord | undefined> {
  const byWebhook = externalId ? await findUserByExternalId(db, externalId) : undefined;
  if (byWebhook) return byWebhook;
  return link ? await findUserByExternalId(db, link.externalId) : undefined;
}
