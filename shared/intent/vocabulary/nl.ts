import type { Vocabulary } from './types.ts';

// Dutch. Compounds need a prefix: "offerteaanvraag", "contactformulier", "sollicitatieformulier".
export const nl: Vocabulary = {
  demo: ['demo aanvragen', 'vraag een demo aan', 'plan een demo', 'demonstratie*', 'kennismakingsgesprek', 'adviesgesprek', 'gratis demo'],
  contact: ['contact*', 'neem contact op', 'contacteer*', 'stuur ons een bericht', 'bericht', 'uw bericht', 'je bericht', 'uw vraag', 'je vraag', 'vraag stellen', 'stel je vraag', 'stel uw vraag', 'terugbel*', 'bel mij terug', 'afspraak maken', 'verzoek'],
  quote: ['offerte*', 'vrijblijvende offerte', 'offerteaanvraag*', 'prijsopgave', 'kostenraming'],
  trial: ['proefperiode', 'gratis proberen', 'probeer gratis', 'probeer het gratis', 'gratis uitproberen', 'gratis account', 'gratis starten', 'start gratis'],
  pricing: ['prijs*', 'prijzen', 'tarieven', 'prijsaanvraag'],
  newsletter: ['nieuwsbrief*', 'aanmelden voor de nieuwsbrief', 'abonneer*', 'abonneren', 'blijf op de hoogte', 'schrijf je in', 'inschrijven nieuwsbrief'],
  download: ['downloaden', 'download*', 'whitepaper*', 'e-book', 'ebook*', 'gratis gids', 'handleiding downloaden'],
  event: ['webinar*', 'evenement*', 'aanmelden voor het', 'inschrijven voor', 'inschrijving', 'seminar*', 'congres', 'bijeenkomst'],
  job: ['sollicit*', 'vacature*', 'solliciteer', 'motivatiebrief', 'cv uploaden', 'werken bij', 'kandida*'],
  login: ['inloggen', 'log in', 'wachtwoord', 'gebruikersnaam', 'mijn account'],
  search: ['zoek*', 'zoeken', 'zoekterm'],
  other: ['reactie*', 'reageer', 'reageren', 'plaats reactie'],
};
