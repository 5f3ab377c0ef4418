import { Logger } from '@nestjs/common';
import type { AlertEvent } from './alert.types';
import { alertmanagerPayload } from './alertmanager-payload';

/** `event`: the change as `{ action, at, alert }`; `alertmanager`: Alertmanager's webhook payload (version 4). */
export type WebhookFormat = 'event' | 'alertmanager';

/**
 * Posts each alert change to the configured URL, fire and forget: bounded by a timeout, a failure is one log
 * line naming only the URL's origin (the path of a webhook URL is usually its secret).
 */
export class AlertWebhook {
  private readonly logger = new Logger(AlertWebhook.name);

  constructor(
    private readonly url: string | null,
    private readonly timeoutMs: number,
    private readonly format: WebhookFormat = 'event',
  ) {}

  notify(event: AlertEvent): void {
    const url = this.url;
    if (!url) return;
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.format === 'alertmanager' ? alertmanagerPayload(event) : event),
      signal: AbortSignal.timeout(this.timeoutMs),
    })
      .then((response) => {
        if (!response.ok) this.logger.warn(`alert webhook ${new URL(url).origin} answered ${response.status}`);
      })
      .catch((error: Error) => this.logger.warn(`alert webhook ${new URL(url).origin} failed: ${error.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : error.name}`));
  }
}
