import type { Vocabulary } from './types.ts';

// English. Phrases, not single ambiguous words: "sign up" is a newsletter as often as a trial,
// "register" an account as often as an event, so they are not here.
export const en: Vocabulary = {
  demo: ['demo*', 'demonstration*', 'book a meeting', 'book a call', 'schedule a call', 'schedule a meeting', 'talk to sales', 'see it in action', 'product tour', 'walkthrough'],
  contact: ['contact*', 'get in touch', 'reach out', 'send message', 'send us a message', 'send a message', 'message', 'your message', 'inquiry', 'enquiry', 'call back', 'callback', 'request a call', 'talk to us', 'ask a question'],
  quote: ['quote', 'quotes', 'request a quote', 'get a quote', 'quotation', 'estimate', 'rfq', 'rfp', 'proposal'],
  trial: ['trial', 'free trial', 'try it free', 'try for free', 'try free', 'start for free', 'get started for free', 'get started free', 'start free', 'create your free account', 'create a free account', 'free account', 'sign up free', 'sign up for free'],
  pricing: ['pricing', 'price*', 'get pricing', 'request pricing', 'price request', 'custom plan', 'talk to us about pricing'],
  newsletter: ['newsletter*', 'subscribe*', 'subscription', 'mailing list', 'mailinglist', 'mail list', 'join our list', 'email updates', 'updates straight to your inbox', 'inbox', 'stay informed', 'stay in the loop', 'stay up to date', 'digest'],
  download: ['download*', 'whitepaper*', 'white paper*', 'ebook*', 'e book', 'get the guide', 'get the report', 'free guide', 'gated', 'case study pdf', 'get your copy'],
  event: ['webinar*', 'event*', 'register for', 'registration', 'rsvp', 'seminar*', 'conference', 'workshop*', 'meetup', 'save my seat', 'save your seat', 'reserve my spot', 'reserve your spot', 'attend'],
  job: ['job*', 'career*', 'apply', 'apply now', 'application form', 'submit application', 'submit your application', 'resume*', 'cv', 'cover letter', 'coverletter', 'candidate*', 'vacanc*', 'position applied', 'applicant*', 'hiring'],
  login: ['login*', 'log in', 'log into', 'logon', 'sign in', 'signin', 'password', 'current password', 'remember me', 'forgot password', 'username'],
  search: ['search*', 'find', 'query', 'site search'],
  other: ['comment*', 'post comment', 'leave a reply', 'leave a comment'],
};
