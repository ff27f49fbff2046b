import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** An invitee's link in mail: `/console/invitations/<token>` (`LINK_TOKEN_MARKER` in newer rows). */
const LINK_TOKEN = /\/console\/invitations\/[A-Za-z0-9_-]{20,}/g;

/**
 * - `store_locks`: named rows a transaction locks to serialise store-wide steps (first start).
 * - `mail_outbox.link_token_sealed`: the invitee's link secret, sealed under the server's secret
 *   key, apart from the bodies, which hold a marker instead; forgotten once the mail is delivered.
 *   Mail already delivered by an older version loses its link secrets here.
 */
export const hardening: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('store_locks')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .execute();
    await db.schema.alterTable('mail_outbox').addColumn('link_token_sealed', 'text').execute();
    const sent = await db
      .selectFrom('mail_outbox')
      .select(['id', 'text_body', 'html_body'])
      .where('sent_at', 'is not', null)
      .where((eb) =>
        eb.or([eb('text_body', 'like', '%/console/invitations/%'), eb('html_body', 'like', '%/console/invitations/%')]),
      )
      .execute();
    for (const row of sent as Array<{ id: string; text_body: string; html_body: string }>) {
      await db
        .updateTable('mail_outbox')
        .set({
          text_body: row.text_body.replace(LINK_TOKEN, '/console/invitations/{link-token}'),
          html_body: row.html_body.replace(LINK_TOKEN, '/console/invitations/{link-token}'),
        })
        .where('id', '=', row.id)
        .execute();
    }
  },
};
