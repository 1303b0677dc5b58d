import type { Evidence, NextStep, ProfileAttribute, Reason, RuleLabel, Stage, StageReason } from '../contracts/lead.ts';
import { labelIn } from '../contracts/lead.ts';
import type { RunWhy } from '../contracts/marketing.ts';
import type { FormIntent, IntentSignal } from '../contracts/event.ts';
import { EN_WORDS, type WordKey } from './words-en.ts';

// Reasons, timeline items, stage reasons and next steps in words, from their data. One wording
// for every reader: the extension passes its message catalogue (en, nl, sv), the server and CLI
// pass `english`. Numbers, countries, lists and plurals follow `lang` through Intl.

export type Words = {
  /** A BCP 47 tag: `en`, `nl`, `sv-SE`. */
  lang: string;
  /** The message for `key` with `$1`… replaced by `subs`. */
  say(key: WordKey, subs?: readonly string[]): string;
};

export const english: Words = {
  lang: 'en',
  say: (key, subs) => fill(EN_WORDS[key], subs),
};

export function fill(message: string, subs: readonly string[] = []): string {
  return message.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
}

const ATTRIBUTE_KEYS: Record<ProfileAttribute, WordKey> = {
  email: 'attrEmail',
  name: 'attrName',
  jobTitle: 'attrJobTitle',
  seniority: 'attrSeniority',
  country: 'attrCountry',
  'company.domain': 'attrCompanyDomain',
  'company.name': 'attrCompanyName',
  'company.industry': 'attrCompanyIndustry',
  'company.size': 'attrCompanySize',
  'company.revenue': 'attrCompanyRevenue',
  'company.country': 'attrCompanyCountry',
};

const SENIORITY_KEYS: Record<string, WordKey> = {
  executive: 'seniorityExecutive',
  vp: 'seniorityVp',
  director: 'seniorityDirector',
  manager: 'seniorityManager',
  individual: 'seniorityIndividual',
  student: 'seniorityStudent',
  other: 'seniorityOther',
};

const INTENT_KEYS: Record<FormIntent, WordKey> = {
  demo: 'intentDemo',
  contact: 'intentContact',
  quote: 'intentQuote',
  trial: 'intentTrial',
  pricing: 'intentPricing',
  newsletter: 'intentNewsletter',
  download: 'intentDownload',
  event: 'intentEvent',
  job: 'intentJob',
  login: 'intentLogin',
  search: 'intentSearch',
  other: 'intentOther',
};

const SOURCE_KEYS: Record<Exclude<IntentSignal['source'], 'path'>, WordKey> = {
  override: 'intentSourceOverride',
  form: 'intentSourceForm',
  button: 'intentSourceButton',
  field: 'intentSourceField',
  heading: 'intentSourceHeading',
  title: 'intentSourceTitle',
};

/** The catalogue key for a stored name, if it is one we know (stored evidence may be older or newer). */
function known<K extends string>(keys: Record<K, WordKey>, name: string): WordKey | undefined {
  return Object.hasOwn(keys, name) ? keys[name as K] : undefined;
}

/** "a demo request", "een offerteaanvraag": what a form is for. */
export function intentName(intent: FormIntent, w: Words): string {
  return w.say(INTENT_KEYS[intent]);
}

/** "button", "knop": where the words that decided a form's intent were found. */
export function signalSourceName(source: Exclude<IntentSignal['source'], 'path'>, w: Words): string {
  return w.say(SOURCE_KEYS[source]);
}

/** "Job title", "Bedrijfsgrootte": the human name of a profile attribute. */
export function attributeLabel(attribute: ProfileAttribute, w: Words): string {
  return w.say(ATTRIBUTE_KEYS[attribute]);
}

export function ruleName(label: RuleLabel, w: Words): string {
  return labelIn(label, w.lang);
}

export function number(n: number, w: Words, digits = 0): string {
  return new Intl.NumberFormat(w.lang, { maximumFractionDigits: digits }).format(n);
}

/** The plural form of `key` for `n`: en, nl and sv have `one` and `other`. */
export function plural(key: 'evTimes' | 'employees', n: number, w: Words): string {
  const form = new Intl.PluralRules(w.lang).select(n) === 'one' ? 'One' : 'Other';
  return w.say(`${key}${form}` as WordKey, [number(n, w)]);
}

/** A profile value as the reader writes it: countries by name, sizes and revenues as numbers. */
export function attributeValue(attribute: ProfileAttribute, value: string | number, w: Words): string {
  if (attribute === 'seniority' && typeof value === 'string' && SENIORITY_KEYS[value]) return w.say(SENIORITY_KEYS[value]);
  if ((attribute === 'country' || attribute === 'company.country') && typeof value === 'string' && /^[A-Za-z]{2}$/.test(value)) {
    try {
      return new Intl.DisplayNames(w.lang, { type: 'region' }).of(value.toUpperCase()) ?? value;
    } catch {
      return value;
    }
  }
  if (typeof value === 'number') {
    if (attribute === 'company.revenue') return new Intl.NumberFormat(w.lang, { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 }).format(value);
    if (attribute === 'company.size') return plural('employees', value, w);
    return number(value, w, 2);
  }
  return `“${value}”`;
}

function duration(seconds: number, w: Words): string {
  const [n, unit] = seconds < 60 ? [seconds, 'second'] : [Math.round(seconds / 60), 'minute'];
  return new Intl.NumberFormat(w.lang, { style: 'unit', unit, unitDisplay: 'long' }).format(n);
}

/** "Pricing" for a page with a title, else its path. */
export function pageName(page: string, title: string | undefined): string {
  return title ? title : page;
}

export function wordEvidence(e: Evidence, w: Words): string {
  switch (e.kind) {
    case 'visited':
      return w.say('evVisited', [e.title ? `${e.title} (${e.page})` : e.page]);
    case 'engaged':
      return w.say('evEngaged', [duration(e.seconds, w), e.page]);
    case 'downloaded':
      return w.say('evDownloaded', [e.file]);
    case 'submitted': {
      const intent = e.intent !== undefined ? known(INTENT_KEYS, e.intent) : undefined;
      if (!intent || e.intent === 'other') return w.say('evSubmitted', [e.form]);
      // The signal that decided the intent, so a rep sees why: "a demo request: button “Boka demo” on /boka-demo".
      const source = e.signal ? known(SOURCE_KEYS, e.signal.source) : undefined;
      if (e.signal && e.page !== undefined && e.signal.source === 'path') return w.say('evSubmittedPage', [w.say(intent), e.page]);
      if (e.signal && e.page !== undefined && source) return w.say('evSubmittedSignal', [w.say(intent), w.say(source), e.signal.text, e.page]);
      return w.say('evSubmittedIntent', [w.say(intent), e.form]);
    }
    case 'clicked':
      return e.text ? w.say('evClicked', [e.text]) : w.say('evClickedElement', [e.selector]);
    case 'identified':
      return w.say(e.source === 'email_link' ? 'evIdentifiedEmailLink' : e.source === 'api' ? 'evIdentifiedApi' : 'evIdentifiedForm');
    case 'email-opened':
      return w.say('evEmailOpened', [e.campaign]);
    case 'email-clicked':
      return w.say('evEmailClicked', [e.page, e.campaign]);
    case 'custom':
      return e.title ? w.say('evCustom', [e.name, e.title]) : e.name;
    case 'attribute':
      return e.value === undefined
        ? w.say('evAttributeUnknown', [attributeLabel(e.attribute, w)])
        : w.say('evAttribute', [attributeLabel(e.attribute, w), attributeValue(e.attribute, e.value, w)]);
    case 'email-domain': {
      const key: Record<typeof e.class, WordKey> = { free: 'evDomainFree', educational: 'evDomainEducational', competitor: 'evDomainCompetitor', own: 'evDomainOwn', business: 'evDomainBusiness' };
      return w.say(key[e.class], [e.domain]);
    }
    case 'complete': {
      const names = e.fields.map((f) => attributeLabel(f, w).toLocaleLowerCase(w.lang));
      const list = new Intl.ListFormat(w.lang, { type: 'conjunction' }).format(names);
      return w.say('evComplete', [capitalise(list, w.lang)]);
    }
    case 'only-visited':
      return w.say('evOnlyVisited', [e.pattern]);
  }
}

/** "visited Pricing (/pricing), 3 times": the evidence and how often the rule earned points. */
export function wordReasonEvidence(r: Reason, w: Words): string {
  const text = wordEvidence(r.evidence, w);
  return r.count !== undefined && r.count > 1 ? `${text}, ${plural('evTimes', r.count, w)}` : text;
}

/** One line for logs, CSV and webhooks: "+18 Pricing page: visited Pricing (/pricing), 3 times". */
export function wordReason(r: Reason, w: Words): string {
  const p = Math.round(r.points);
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${number(Math.abs(p), w)} ${ruleName(r.label, w)}: ${wordReasonEvidence(r, w)}`;
}

const STAGE_KEYS: Record<Stage, WordKey> = {
  anonymous: 'stageAnonymous',
  known: 'stageKnown',
  engaged: 'stageEngaged',
  mql: 'stageMql',
  sales_ready: 'stageSalesReady',
  customer: 'stageCustomer',
  disqualified: 'stageDisqualified',
};

/** "Sales-ready", "Klaar voor sales": a stage as the reader calls it. */
export function stageName(stage: Stage, w: Words): string {
  return w.say(STAGE_KEYS[stage]);
}

export function wordStageReason(s: StageReason, w: Words): string {
  switch (s.kind) {
    case 'won':
      return w.say('stWon');
    case 'excluded':
      return s.rule ? w.say('stExcluded', [ruleName(s.rule, w)]) : w.say('stExcludedAny');
    case 'rejected':
      return s.note ? w.say('stRejectedNote', [s.note]) : w.say('stRejected');
    case 'anonymous':
      return w.say('stAnonymous');
    case 'hand-raise':
      return w.say('stHandRaise', [ruleName(s.rule, w), wordEvidence(s.evidence, w)]);
    case 'accepted':
      return w.say('stAccepted');
    case 'mql':
      return w.say('stMql', [number(s.interest, w), number(s.threshold, w), s.grade]);
    case 'engaged':
      return w.say('stEngaged', [number(s.interest, w), number(s.threshold, w)]);
    case 'known':
      return w.say('stKnown');
  }
}

export function wordNextStep(n: NextStep, w: Words): string {
  switch (n.kind) {
    case 'next-identify':
      return w.say('nxIdentify');
    case 'next-sales-ready':
      return w.say('nxSalesReady');
    case 'next-again':
      return w.say('nxAgain');
    case 'next-mql':
      return w.say('nxMql', [number(n.threshold, w), number(n.interest, w), n.minFit, n.fit]);
  }
}

function capitalise(s: string, lang: string): string {
  return s.charAt(0).toLocaleUpperCase(lang) + s.slice(1);
}

/** Why a predictive run was kept or not (`PredictiveStatus.lastRun.why`), in the reader's words. */
export function wordRunWhy(why: RunWhy, w: Words): string {
  const auc = (x: number | null) => (x === null ? w.say('runNoAuc') : new Intl.NumberFormat(w.lang, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(x));
  switch (why.kind) {
    case 'first':
      return w.say('runFirst', [auc(why.auc)]);
    case 'compared': {
      const ground = why.ground === 'fresh' ? w.say('runGroundFresh', [number(why.leads, w)]) : w.say('runGroundSame', [number(why.leads, w), number(why.min, w)]);
      return w.say(why.accepted ? 'runAccepted' : 'runRejected', [auc(why.newAuc), auc(why.currentAuc), ground]);
    }
    case 'too-few':
      return w.say('runTooFew', [number(why.min, w), number(why.won, w), number(why.lost, w)]);
    case 'installed':
      return w.say('runInstalled', [why.file, auc(why.auc)]);
    case 'failed':
      return w.say('runFailed', [why.message]);
  }
}
