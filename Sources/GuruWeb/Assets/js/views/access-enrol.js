// The Access tab's "Add machines" button (for those who may build installers). Machines
// enrol themselves with an installer from the Build tab, which carries a short-lived
// enrolment token in its signed trailer: no credential is shown here, and no secret is
// ever put on a command line.
import { button } from '../components/button.js';
import { navigate } from '../router.js';

/** The page header's button; it also answers the list's `enrol` event (its empty state). */
export function enrolPanel() {
  const open = () => navigate('/app/build');
  const enrolButton = button({ label: 'Add machines', icon: 'plus', variant: 'primary', id: 'agent-enrol', onClick: open });
  return { name: 'enrol', mount: { actions: enrolButton }, events: { enrol: open } };
}
