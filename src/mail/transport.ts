import type { Transporter } from 'nodemailer';

/** Sends one message or throws; the outbox retries what throws. */
export interface MailTransport {
  readonly kind: 'smtp' | 'capture';
  send(m: { to: string; subject: string; text: string; html: string }): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer (host, port, TLS and credentials come from the URL). A send gives up well
 * within the outbox's claim lease (nodemailer's own defaults wait up to 10 minutes on a silent
 * server), so a slow server delays mail instead of having it sent twice; `?socketTimeout=…` in the
 * URL overrides.
 */
export function smtpTransport(url: string, from: string): MailTransport {
  // nodemailer is loaded with the first mail, not at start.
  let transporter: Transporter | null = null;
  return {
    kind: 'smtp',
    async send(m) {
      if (!transporter) {
        const { default: nodemailer } = await import('nodemailer');
        transporter ??= nodemailer.createTransport({
          url,
          connectionTimeout: 30_000,
          greetingTimeout: 30_000,
          socketTimeout: 60_000,
        });
      }
      await transporter.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html });
    },
    close: () => transporter?.close(),
  };
}

/** No SMTP configured: delivering means keeping it for `GET /_cloud-invites/mailbox`. */
export const captureTransport: MailTransport = { kind: 'capture', send: async () => undefined, close: () => undefined };
