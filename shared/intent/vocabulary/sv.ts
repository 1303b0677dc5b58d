import type { Vocabulary } from './types.ts';

// Swedish. "Boka" alone books anything (a table, staff), so only "boka demo/möte" count as a demo.
export const sv: Vocabulary = {
  demo: ['boka demo', 'boka en demo', 'boka demonstration', 'boka möte', 'boka ett möte', 'visning', 'demonstration*'],
  contact: ['kontakt*', 'kontakta oss', 'kontakta mig', 'hör av dig', 'meddelande', 'skicka meddelande', 'ditt meddelande', 'ring mig', 'bli kontaktad', 'återkoppling', 'förfrågan'],
  quote: ['offert*', 'begär offert', 'få offert', 'gratis offert', 'kostnadsförslag', 'anbud*'],
  trial: ['testa gratis', 'prova gratis', 'gratis provperiod', 'provperiod', 'testperiod', 'kom igång gratis', 'skapa gratis konto'],
  pricing: ['pris*', 'priser', 'prisförfrågan', 'prislista'],
  newsletter: ['nyhetsbrev*', 'prenumer*', 'håll dig uppdaterad', 'utskick'],
  download: ['ladda ner', 'ladda hem', 'nedladdning*', 'whitepaper*', 'e-bok', 'guide'],
  event: ['webbinar*', 'webinar*', 'anmälan', 'anmäl dig', 'evenemang*', 'seminari*', 'frukostseminari*', 'konferens*', 'event*'],
  job: ['ansök*', 'sök jobbet', 'jobb*', 'karriär*', 'cv', 'personligt brev', 'rekryter*', 'lediga'],
  login: ['logga in', 'inloggning', 'lösenord', 'användarnamn', 'mitt konto'],
  search: ['sök', 'sökord', 'sökning', 'söka'],
  other: ['kommentar*', 'kommentera', 'skicka kommentar'],
};
