import type { Company } from '../../shared/contracts/lead.ts';
import { ARCHETYPES, type Archetype } from './archetypes.ts';
import { COUNTRIES, type Firm } from './companies.ts';
import type { DemoRandom } from './demo-random.ts';
import { type FormTraits, newVisitor, type Visitor } from './sessions.ts';

// The demo's people: a name, an email address at their firm (or a free-mail or university
// one), a job title that fits their archetype, and what an enrichment provider would know
// about them.

const FIRST = ['Anna', 'Ben', 'Carla', 'David', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kim', 'Lena', 'Marco', 'Nora', 'Oscar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tariq', 'Uma', 'Victor', 'Wen', 'Xavier', 'Yara', 'Zoe', 'Liam', 'Maya', 'Noah', 'Olga', 'Pedro', 'Sofia', 'Tom', 'Emma', 'Lucas', 'Mia', 'Aisha', 'Erik', 'Hanna', 'Jan'];
const LAST = ['de Vries', 'Jansen', 'Smith', 'Müller', 'Johansson', 'Dubois', 'Novak', 'Rossi', 'Garcia', 'Okafor', 'Chen', 'Patel', 'Kowalski', 'Andersen', 'Murphy', "O'Brien", 'Schmidt', 'Bakker', 'Lindqvist', 'Martin', 'Brown', 'Nguyen', 'Haddad', 'Fischer', 'Visser', 'Larsen', 'Moreau', 'Silva', 'Kim', 'Taylor'];
const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'proton.me'];
const UNIVERSITIES = ['stanford.edu', 'mit.edu', 'ox.ac.uk', 'ed.ac.uk', 'umich.edu'];
const TITLES = {
  senior: ['CEO', 'CTO', 'CFO', 'Chief Revenue Officer', 'VP Sales', 'VP Marketing', 'Director of Operations', 'Head of Growth', 'Head of Data', 'Founder', 'Director of Sales Operations'],
  manager: ['Marketing Manager', 'Sales Manager', 'Product Manager', 'Revenue Operations Manager', 'IT Manager', 'Finance Manager'],
  individual: ['Data Analyst', 'Software Engineer', 'Marketing Specialist', 'Account Executive', 'Business Analyst', 'Sales Development Representative', 'Consultant'],
  student: ['Student', 'Marketing Intern', 'MBA Student'],
  other: ['Recruiter', 'Talent Acquisition Partner', 'Freelance Writer'],
} as const;

/** What an enrichment provider would know about a lead (seed.ts writes it to the profile). */
export type Firmographics = { email: string; company?: Company; country?: string };

export type DemoLead = {
  archetype: Archetype;
  visitor: Visitor;
  email: string;
  /** At their firm's domain, not free mail or a university: mail scanners sit in front of these. */
  business: boolean;
  /** What they type into a form. */
  traits: FormTraits;
};

/** Draws the next lead; `usedEmails` keeps addresses unique (anna.smith2@…). */
export function drawLead(r: DemoRandom, chooseFirm: (a: Archetype) => Firm, usedEmails: Set<string>): { lead: DemoLead; firmographics: Firmographics } {
  const archetype = r.weighted(ARCHETYPES);
  const visitor = newVisitor(r);
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  const name = `${first} ${last}`;
  const local = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
  const firm = chooseFirm(archetype);
  const { domain, jobTitle } = addressAndTitle(r, archetype, firm);
  let email = `${local}@${domain}`;
  for (let k = 2; usedEmails.has(email); k++) email = `${local}${k}@${domain}`;
  usedEmails.add(email);
  const business = !FREE_MAIL.includes(domain) && !UNIVERSITIES.includes(domain);
  const traits: FormTraits = { email, name, jobTitle, ...(archetype !== 'job-seeker' && archetype !== 'student' ? { company: firm.name } : {}) };
  const firmographics: Firmographics = business ? { email, company: { ...firm }, country: firm.country } : { email, country: r.weighted(COUNTRIES.map((c) => [c[0], c[1]] as const)) };
  return { lead: { archetype, visitor, email, business, traits }, firmographics };
}

function addressAndTitle(r: DemoRandom, archetype: Archetype, firm: Firm): { domain: string; jobTitle: string } {
  if (archetype === 'student') return { domain: r.pick(UNIVERSITIES), jobTitle: r.pick(TITLES.student) };
  if (archetype === 'job-seeker') return { domain: r.pick(FREE_MAIL), jobTitle: r.pick([...TITLES.individual, ...TITLES.other]) };
  // Buyers mostly write from work; those who go on to lose a deal more often from free mail.
  const domain = r.chance(archetype === 'customer' ? 0.03 : archetype === 'lost' ? 0.2 : 0.1) ? r.pick(FREE_MAIL) : firm.domain;
  const senior = archetype === 'customer' || archetype === 'hand-raiser' ? 0.5 : 0.3;
  const jobTitle = r.chance(senior) ? r.pick(TITLES.senior) : r.chance(0.5) ? r.pick(TITLES.manager) : r.chance(0.85) ? r.pick(TITLES.individual) : r.pick(TITLES.other);
  return { domain, jobTitle };
}
