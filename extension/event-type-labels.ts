import type { EventType } from '../shared/contracts/event.ts';
import type { MessageKey } from './i18n.ts';

/** The message that names each event type, for the timeline and the model editor. */
export const EVENT_TYPE_LABELS: Record<EventType, MessageKey> = {
  page_view: 'typePageView',
  engagement: 'typeEngagement',
  download: 'typeDownload',
  form_submit: 'typeFormSubmit',
  click: 'typeClick',
  identify: 'typeIdentify',
  email_open: 'typeEmailOpen',
  email_click: 'typeEmailClick',
  custom: 'typeCustom',
};
