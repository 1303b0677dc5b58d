import type { Vocabulary } from './types.ts';

// German. Compounds: "Kontaktformular", "Angebotsanfrage", "Bewerbungsformular", "Rückrufservice".
export const de: Vocabulary = {
  demo: ['demo anfordern', 'demo vereinbaren', 'demo buchen', 'demo termin', 'produktdemo*', 'termin vereinbaren', 'beratungstermin*', 'vorführung*'],
  contact: ['kontakt*', 'kontaktieren sie uns', 'nachricht*', 'ihre nachricht', 'schreib mir', 'schreiben sie uns', 'anfrage*', 'rückruf*', 'ruckruf*', 'rufen sie mich an', 'ihr anliegen', 'ihre frage'],
  quote: ['angebot*', 'angebot anfordern', 'kostenvoranschlag', 'kostenlose angebot', 'preisanfrage'],
  trial: ['kostenlos testen', 'gratis testen', 'testversion', 'testphase', 'jetzt testen', 'probeversion', 'testzugang', 'kostenloses konto'],
  pricing: ['preis*', 'preise', 'preisliste', 'kosten'],
  newsletter: ['newsletter*', 'abonnieren', 'abonnier*', 'anmeldung zum newsletter', 'bleiben sie informiert', 'auf dem laufenden'],
  download: ['herunterladen', 'download*', 'whitepaper*', 'e-book', 'ebook*', 'leitfaden'],
  event: ['webinar*', 'veranstaltung*', 'seminar*', 'konferenz*', 'teilnehmen', 'anmeldung', 'jetzt anmelden', 'platz sichern'],
  job: ['bewerb*', 'lebenslauf', 'stelle*', 'stellenanzeige*', 'karriere*', 'anschreiben', 'berwerb*', 'kandidat*', 'jobs'],
  login: ['einloggen', 'login', 'passwort', 'kennwort', 'benutzername', 'mein konto'],
  search: ['such*', 'suche', 'suchen', 'suchbegriff'],
  other: ['kommentar*', 'kommentieren'],
};
