// Support tab: attended one-time sessions. Session handling ships in a later
// release; until then the tab explains exactly what will appear here.
import { replace } from '../dom.js';
import { pageHeader } from '../components/ui.js';
import { featurePreview } from '../components/feature-preview.js';

export function render(container, ctx) {
  ctx.setTitle('Support');
  replace(container,
    pageHeader({ title: 'Support sessions', description: 'Attended, one-time sessions with your customers.' }),
    featurePreview({
      testid: 'support-empty',
      icon: 'support',
      title: 'Live support sessions will appear here',
      text: "Generate a 6-digit code, your customer enters it at this server's portal, and their session appears here live.",
      steps: [
        { icon: 'key', title: 'Generate a code', text: 'Create a 6-digit support code from this tab. Codes stay valid until used or cancelled, and are never reissued while active.' },
        { icon: 'download', title: 'Your customer connects', text: 'They type the code on the portal; a small agent downloads and runs with no install and no admin rights.' },
        { icon: 'monitor', title: 'Join, view or hand off', text: 'Your sessions and your team\'s appear live with status and duration. Join, spectate, end or transfer them.' },
      ],
    }));
}
