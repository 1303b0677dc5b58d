import { describe, expect, it } from 'vitest';
import { classifyDomain, emailDomain, isEducationalDomain, isFreeMailDomain, registrableDomain } from '../../shared/email.ts';

describe('email domains', () => {
  it('finds the domain of an address, or none', () => {
    expect(emailDomain('Ann@Mail.Example.COM')).toBe('mail.example.com');
    expect(emailDomain('no-at-sign')).toBeUndefined();
    expect(emailDomain('trailing@')).toBeUndefined();
  });

  it('knows registrable domains across multi-part suffixes', () => {
    expect(registrableDomain('eu.mail.acme.co.uk')).toBe('acme.co.uk');
    expect(registrableDomain('acme.com')).toBe('acme.com');
  });

  it('tells free-mail (and disposable) providers from businesses', () => {
    expect(isFreeMailDomain('gmail.com')).toBe(true);
    expect(isFreeMailDomain('mailinator.com')).toBe(true);
    expect(isFreeMailDomain('acme-robotics.com')).toBe(false);
  });

  it('tells schools and universities', () => {
    expect(isEducationalDomain('mit.edu')).toBe(true);
    expect(isEducationalDomain('cs.ox.ac.uk')).toBe(true);
    expect(isEducationalDomain('unsw.edu.au')).toBe(true);
    expect(isEducationalDomain('acme.com')).toBe(false);
  });

  it('lets the own and competitor lists win, matching subdomains', () => {
    const lists = { own: new Set(['leadglow.dev']), competitors: new Set(['gmail.com']) };
    expect(classifyDomain('eu.leadglow.dev', lists)).toBe('own');
    expect(classifyDomain('gmail.com', lists)).toBe('competitor');
    expect(classifyDomain('acme.com', lists)).toBe('business');
  });
});
