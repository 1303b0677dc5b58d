import '../../zod-jitless.ts';
import { render } from 'preact';
import { Options } from '../../options/Options.tsx';
import { browserClient } from '../../panel/client.ts';
import { languageFromPage } from '../../i18n.ts';

languageFromPage();

render(<Options client={browserClient()} />, document.getElementById('app')!);
