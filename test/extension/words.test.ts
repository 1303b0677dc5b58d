import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Evidence, NextStep, Reason, StageReason } from '../../shared/contracts/lead.ts';
import { EN_WORDS } from '../../shared/scoring/words-en.ts';
import { english, wordEvidence, wordNextStep, wordReasonEvidence, wordStageReason } from '../../shared/scoring/wording.ts';
import { setLanguage, words } from '../../extension/i18n.ts';

// Every kind of reason, timeline item, stage reason and next step, worded in English, Dutch and
// Swedish from the extension's catalogues, with plural forms and each language's numbers.

type Row<T> = [T, en: string, nl: string, sv: string];
const NBSP = '\u00a0';

const EVIDENCE: Row<Evidence>[] = [
  [{ kind: 'visited', page: '/pricing', title: 'Pricing' }, 'visited Pricing (/pricing)', 'bezocht Pricing (/pricing)', 'besökte Pricing (/pricing)'],
  [{ kind: 'visited', page: '/blog/x' }, 'visited /blog/x', 'bezocht /blog/x', 'besökte /blog/x'],
  [{ kind: 'engaged', page: '/pricing', seconds: 190 }, 'spent 3 minutes on /pricing', 'bleef 3 minuten op /pricing', 'stannade 3 minuter på /pricing'],
  [{ kind: 'downloaded', file: 'whitepaper.pdf' }, 'downloaded whitepaper.pdf', 'downloadde whitepaper.pdf', 'laddade ner whitepaper.pdf'],
  [{ kind: 'submitted', form: 'newsletter' }, 'submitted form newsletter', 'verstuurde formulier newsletter', 'skickade formuläret newsletter'],
  [{ kind: 'submitted', form: 'demo-request', intent: 'demo', signal: { source: 'form', text: 'Book a demo' } }, 'sent a demo request (form demo-request)', 'stuurde een demoaanvraag (formulier demo-request)', 'skickade en demoförfrågan (formulär demo-request)'],
  [{ kind: 'clicked', text: 'Book a demo', selector: '#cta' }, 'clicked “Book a demo”', 'klikte op “Book a demo”', 'klickade på ”Book a demo”'],
  [{ kind: 'clicked', selector: '#cta' }, 'clicked #cta', 'klikte op #cta', 'klickade på #cta'],
  [{ kind: 'identified', source: 'form' }, 'identified by a form', 'herkend via een formulier', 'identifierad via ett formulär'],
  [{ kind: 'identified', source: 'email_link' }, 'arrived from an email link', 'kwam via een link in een e-mail', 'kom via en länk i ett mejl'],
  [{ kind: 'identified', source: 'api' }, 'identified through the CRM or API', 'herkend via het CRM of de API', 'identifierad via CRM eller API'],
  [{ kind: 'email-opened', campaign: 'Spring launch' }, 'opened email Spring launch', 'opende e-mail Spring launch', 'öppnade mejlet Spring launch'],
  [{ kind: 'email-clicked', page: '/pricing', campaign: 'Spring launch' }, 'clicked /pricing in email Spring launch', 'klikte op /pricing in e-mail Spring launch', 'klickade på /pricing i mejlet Spring launch'],
  [{ kind: 'custom', name: 'webinar', title: 'Scoring 101' }, 'webinar: Scoring 101', 'webinar: Scoring 101', 'webinar: Scoring 101'],
  [{ kind: 'attribute', attribute: 'jobTitle', value: 'VP Marketing' }, 'Job title: “VP Marketing”', 'Functie: “VP Marketing”', 'Befattning: “VP Marketing”'],
  [{ kind: 'attribute', attribute: 'company.size', value: 1200 }, 'Company size: 1,200 employees', 'Bedrijfsgrootte: 1.200 medewerkers', `Företagsstorlek: 1${NBSP}200 anställda`],
  [{ kind: 'attribute', attribute: 'company.size', value: 1 }, 'Company size: 1 employee', 'Bedrijfsgrootte: 1 medewerker', 'Företagsstorlek: 1 anställd'],
  [{ kind: 'attribute', attribute: 'country', value: 'NL' }, 'Country: Netherlands', 'Land: Nederland', 'Land: Nederländerna'],
  [{ kind: 'attribute', attribute: 'seniority', value: 'vp' }, 'Seniority: vice president', 'Senioriteit: vicepresident', 'Senioritet: vice vd'],
  [{ kind: 'attribute', attribute: 'jobTitle' }, 'Job title unknown', 'Functie onbekend', 'Befattning okänd'],
  [{ kind: 'email-domain', domain: 'gmail.com', class: 'free' }, 'gmail.com is a personal email provider', 'gmail.com is een persoonlijke e-mailprovider', 'gmail.com är en privat e-postleverantör'],
  [{ kind: 'email-domain', domain: 'uu.se', class: 'educational' }, 'uu.se is a school or university', 'uu.se is een school of universiteit', 'uu.se är en skola eller ett universitet'],
  [{ kind: 'email-domain', domain: 'rival.io', class: 'competitor' }, 'rival.io is a competitor', 'rival.io is een concurrent', 'rival.io är en konkurrent'],
  [{ kind: 'email-domain', domain: 'us.io', class: 'own' }, 'us.io is our own domain', 'us.io is ons eigen domein', 'us.io är vår egen domän'],
  [{ kind: 'email-domain', domain: 'acme.nl', class: 'business' }, 'acme.nl is a business domain', 'acme.nl is een zakelijk domein', 'acme.nl är en företagsdomän'],
  [{ kind: 'complete', fields: ['email', 'name'] }, 'Email address and name known', 'E-mailadres en naam bekend', 'E-postadress och namn kända'],
  [{ kind: 'only-visited', pattern: '*/careers*' }, 'only visited */careers*', 'bezocht alleen */careers*', 'besökte bara */careers*'],
];

const demo = { en: 'Requested a demo', nl: 'Vroeg een demo aan', sv: 'Begärde en demo' };
const STAGE_REASONS: Row<StageReason>[] = [
  [{ kind: 'won' }, 'won in the CRM', 'gewonnen in het CRM', 'vunnen i CRM'],
  [{ kind: 'excluded', rule: { en: 'Competitor', nl: 'Concurrent', sv: 'Konkurrent' } }, 'excluded: Competitor', 'uitgesloten: Concurrent', 'utesluten: Konkurrent'],
  [{ kind: 'excluded' }, 'excluded by an exclusion rule', 'uitgesloten door een uitsluitingsregel', 'utesluten av en uteslutningsregel'],
  [{ kind: 'rejected' }, 'rejected by sales', 'afgewezen door sales', 'avvisad av sälj'],
  [{ kind: 'rejected', note: 'no budget' }, 'rejected by sales: no budget', 'afgewezen door sales: no budget', 'avvisad av sälj: no budget'],
  [{ kind: 'anonymous' }, 'no email address known yet', 'nog geen e-mailadres bekend', 'ingen e-postadress känd än'],
  [{ kind: 'hand-raise', rule: demo, evidence: { kind: 'submitted', form: 'demo-request' } }, 'Requested a demo: submitted form demo-request', 'Vroeg een demo aan: verstuurde formulier demo-request', 'Begärde en demo: skickade formuläret demo-request'],
  [{ kind: 'accepted' }, 'accepted by sales', 'geaccepteerd door sales', 'accepterad av sälj'],
  [{ kind: 'mql', interest: 1234, threshold: 60, grade: 'A' }, 'interest 1,234 ≥ 60 and fit A', 'interesse 1.234 ≥ 60 en fit A', `intresse 1${NBSP}234 ≥ 60 och passform A`],
  [{ kind: 'engaged', interest: 46, threshold: 20 }, 'interest 46 ≥ 20', 'interesse 46 ≥ 20', 'intresse 46 ≥ 20'],
  [{ kind: 'known' }, 'identified, little interest yet', 'herkend, nog weinig interesse', 'identifierad, litet intresse än'],
];

const NEXT_STEPS: Row<NextStep>[] = [
  [{ kind: 'next-identify' }, 'a form with an email field or an email-link click identifies the visitor', 'een formulier met een e-mailveld of een klik op een e-maillink maakt de bezoeker bekend', 'ett formulär med e-postfält eller ett klick på en mejllänk identifierar besökaren'],
  [{ kind: 'next-sales-ready' }, 'a demo or contact request makes the lead sales-ready', 'een demo- of contactaanvraag maakt de lead klaar voor sales', 'en demo- eller kontaktförfrågan gör leadet redo för sälj'],
  [{ kind: 'next-again' }, 'a new demo or contact request would make the lead sales-ready again', 'een nieuwe demo- of contactaanvraag maakt de lead weer klaar voor sales', 'en ny demo- eller kontaktförfrågan gör leadet redo för sälj igen'],
  [{ kind: 'next-mql', threshold: 60, interest: 46, minFit: 'C', fit: 'D' }, 'MQL at interest 60 (now 46) with fit C or better (now D)', 'MQL bij interesse 60 (nu 46) met fit C of beter (nu D)', 'MQL vid intresse 60 (nu 46) med passform C eller bättre (nu D)'],
];

const LANGS = ['en', 'nl', 'sv'] as const;

describe('wording in en, nl and sv', () => {
  afterEach(() => setLanguage(undefined));

  it('covers every kind of evidence, stage reason and next step', () => {
    // The tables below must not fall behind the contracts: each kind appears at least once.
    const kinds = (rows: Row<{ kind: string }>[]) => new Set(rows.map((r) => r[0].kind));
    const contract = readFileSync(resolve('shared/contracts/lead.ts'), 'utf8');
    for (const k of contract.matchAll(/kind: z\.literal\('([a-z-]+)'\)/g)) {
      expect(kinds(EVIDENCE).has(k[1]!) || kinds(STAGE_REASONS).has(k[1]!) || kinds(NEXT_STEPS).has(k[1]!), k[1]).toBe(true);
    }
  });

  for (const [i, lang] of LANGS.entries()) {
    it(`words reasons and timeline items in ${lang}`, () => {
      setLanguage(lang);
      for (const row of EVIDENCE) expect(wordEvidence(row[0], words)).toBe(row[i + 1]);
    });

    it(`words stage reasons and next steps in ${lang}`, () => {
      setLanguage(lang);
      for (const row of STAGE_REASONS) expect(wordStageReason(row[0], words)).toBe(row[i + 1]);
      for (const row of NEXT_STEPS) expect(wordNextStep(row[0], words)).toBe(row[i + 1]);
    });
  }

  it('says how often a rule earned points, with plural forms', () => {
    const reason = (count: number): Reason => ({ rule: 'pricing', label: 'Visited pricing', points: 30, evidence: { kind: 'visited', page: '/pricing' }, count, at: 0 });
    const expected = { en: ['visited /pricing', 'visited /pricing, 3 times'], nl: ['bezocht /pricing', 'bezocht /pricing, 3 keer'], sv: ['besökte /pricing', 'besökte /pricing, 3 gånger'] };
    for (const lang of LANGS) {
      setLanguage(lang);
      expect([wordReasonEvidence(reason(1), words), wordReasonEvidence(reason(3), words)]).toEqual(expected[lang]);
    }
  });

  it("the server's English is the extension's English", () => {
    const en = JSON.parse(readFileSync(resolve('extension/public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;
    for (const [key, text] of Object.entries(EN_WORDS)) expect(en[key]?.message, key).toBe(text);
    for (const row of [...EVIDENCE]) expect(wordEvidence(row[0], english)).toBe(row[1]);
  });
});
