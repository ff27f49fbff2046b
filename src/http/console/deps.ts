import type { DomainContext } from '../../domain/context.ts';
import type { MovableClock } from '../../lib/clock.ts';
import type { OutboxWorker } from '../../mail/outbox-worker.ts';

/** What the console is built from (a slice of the composition root). */
export interface ConsoleDeps {
  readonly ctx: DomainContext;
  readonly publicUrl: string | undefined;
  /** The movable clock when the control plane is on: the banner shows and moves it. */
  readonly clock: MovableClock | null;
  readonly outbox: OutboxWorker;
  /** No SMTP server: mail is captured, and the mailbox page shows it. */
  readonly mailCaptured: boolean;
}
