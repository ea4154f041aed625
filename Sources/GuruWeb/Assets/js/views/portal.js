// The end-user portal at `/` (no sign-in, no app chrome): the customer types the
// six-digit code their technician gave them, we try to open an installed GuruConnect
// through its URL scheme, and otherwise download the one-time agent and walk them
// through running it, worded for their browser.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { logoMark } from '../components/logo.js';
import { withBusy } from '../components/button.js';
import { detectBrowser } from '../portal/browser-detect.js';
import { instructionsFor } from '../portal/instructions.js';

const CODE_LENGTH = 6;
/** How long the page waits for an installed app to take focus before downloading. */
const LAUNCH_WAIT_MS = 3000;
const STEPS = [
  { key: 'code', label: 'Enter code' },
  { key: 'download', label: 'Download' },
  { key: 'run', label: 'Run' },
  { key: 'allow', label: 'Allow' },
];

export function render(container, ctx) {
  const detected = detectBrowser(navigator.userAgent);
  let companyName = 'Remote support';
  let alive = true;
  let throttleTimer = null;
  let launchTimer = null;
  let stopLaunchWatch = () => {};

  const companyEl = h('span', { class: 'portal-company', id: 'portal-company' }, companyName);
  const companyMark = h('span', { class: 'portal-company-mark', 'aria-hidden': 'true' }, 'R');
  const headline = h('h1', { class: 'portal-title', id: 'portal-title' }, 'Get help from your technician');

  const codeInput = h('input', {
    id: 'portal-code', class: 'portal-code-input', name: 'code', type: 'text', inputmode: 'numeric',
    autocomplete: 'one-time-code', pattern: '[0-9]{6}', placeholder: '000000', required: true,
    spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': 'portal-code-hint',
  });
  const submit = h('button', { type: 'submit', id: 'portal-submit', class: 'btn btn-primary portal-submit' },
    h('span', { class: 'btn-label' }, 'Connect'), icon('chevronRight', { size: 18 }));
  const message = h('div', { id: 'portal-message', class: 'portal-message is-hidden', role: 'alert' });
  const form = h('form', { id: 'portal-form', class: 'portal-form', novalidate: true },
    h('label', { for: 'portal-code', class: 'portal-label' }, 'Support code'),
    codeInput,
    h('p', { id: 'portal-code-hint', class: 'portal-hint' }, 'The 6 digits your technician gave you, by phone or email.'),
    message,
    submit);
  const formPanel = h('div', { class: 'portal-panel', id: 'portal-entry' },
    h('p', { class: 'portal-lead' }, 'Enter your support code to let your technician see your screen. Nothing is installed, and you stay in control.'),
    form);
  const resultPanel = h('div', { class: 'portal-panel is-hidden', id: 'portal-result' });

  const card = h('section', { class: 'portal-card', 'aria-labelledby': 'portal-title' },
    headline, formPanel, resultPanel);

  replace(container, h('div', { class: 'portal', id: 'portal' },
    h('header', { class: 'portal-header' },
      h('div', { class: 'portal-brand' }, companyMark, companyEl)),
    h('main', { class: 'portal-main' },
      detected.mobile ? h('div', { class: 'portal-note', id: 'portal-mobile-note', role: 'note' }, icon('monitor', { size: 16 }),
        h('span', null, 'GuruConnect runs on Windows and Linux computers. Open this page on the computer you need help with.')) : null,
      card,
      h('ul', { class: 'portal-assurances' },
        h('li', null, icon('lock', { size: 15 }), 'End-to-end encrypted'),
        h('li', null, icon('eye', { size: 15 }), 'Nothing happens until you click Allow'),
        h('li', null, icon('x', { size: 15 }), 'End the session at any time'))),
    h('footer', { class: 'portal-footer' },
      h('span', { class: 'portal-powered' }, 'Secured by', logoMark(16), h('strong', null, 'GuruConnect')))));
  ctx.setTitle('Remote support');

  // ---- branding ----
  api('GET', '/api/portal/branding').then((branding) => {
    if (!alive || !branding || !branding.companyName) return;
    companyName = branding.companyName;
    companyEl.textContent = companyName;
    companyMark.textContent = companyName.trim().charAt(0).toUpperCase() || 'R';
    headline.textContent = `Get help from ${companyName}`;
    document.title = `${companyName} · Remote support`;
  }).catch((err) => {
    // The page works without the name; say so only when the server is unreachable.
    if (alive && err.status === 0) showMessage(err.message, 'warning');
  });

  // ---- code entry ----
  const prefill = digitsOf(new URLSearchParams(location.search).get('code') || '');
  if (prefill) codeInput.value = prefill;
  codeInput.addEventListener('input', () => {
    const digits = digitsOf(codeInput.value);
    if (digits !== codeInput.value) codeInput.value = digits;
    if (!message.classList.contains('is-hidden') && message.dataset.kind !== 'throttled') hideMessage();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = digitsOf(codeInput.value);
    if (code.length !== CODE_LENGTH) {
      showMessage(`Enter all ${CODE_LENGTH} digits of your code.`, 'error');
      codeInput.focus();
      return;
    }
    withBusy(submit, async () => {
      hideMessage();
      try {
        const session = await api('POST', '/api/portal/code', { code });
        if (alive) start(session);
      } catch (err) {
        if (alive) showFailure(err);
      }
    });
  });
  if (prefill.length === CODE_LENGTH) submit.focus();
  else codeInput.focus();

  function showFailure(err) {
    if (err.status === 429) {
      throttle(err.retryAfter || 30);
      return;
    }
    showMessage(err.message, 'error');
    codeInput.select();
  }

  function throttle(seconds) {
    const until = Date.now() + seconds * 1000;
    submit.dataset.lock = 'true';
    submit.disabled = true;
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0 || !alive) {
        clearInterval(throttleTimer);
        delete submit.dataset.lock;
        submit.disabled = false;
        hideMessage();
        return;
      }
      showMessage(`Too many attempts. Please wait ${formatWait(left)} and try again.`, 'throttled');
    };
    clearInterval(throttleTimer);
    tick();
    throttleTimer = setInterval(tick, 1000);
  }

  function showMessage(text, kind) {
    message.dataset.kind = kind;
    message.className = `portal-message portal-message-${kind === 'throttled' ? 'warning' : kind}`;
    replace(message, icon(kind === 'error' ? 'alert' : 'clock', { size: 16 }), h('span', { id: 'portal-message-text' }, text));
  }

  function hideMessage() {
    message.classList.add('is-hidden');
    delete message.dataset.kind;
  }

  // ---- after a valid code ----
  function start(session) {
    formPanel.classList.add('is-hidden');
    resultPanel.classList.remove('is-hidden');
    const guide = instructionsFor(detected, {
      fileName: session.fileName, technician: session.technician, companyName: session.companyName || companyName,
    });
    const stepper = h('ol', { class: 'portal-steps', id: 'portal-steps', 'aria-label': 'Progress' },
      STEPS.map((step, i) => h('li', { class: 'portal-step', dataset: { step: step.key } },
        h('span', { class: 'portal-step-dot', 'aria-hidden': 'true' }, h('span', { class: 'portal-step-num' }, String(i + 1)), icon('check', { size: 14 })),
        h('span', { class: 'portal-step-label' }, step.label))));
    const status = h('div', { class: 'portal-status', id: 'portal-status', role: 'status', 'aria-live': 'polite' });
    const downloadLink = h('a', {
      href: session.downloadUrl, download: session.fileName, id: 'portal-download', class: 'btn btn-outline portal-download',
    }, icon('download', { size: 16 }), h('span', { class: 'btn-label' }, 'Download again'));
    const guideList = h('ol', {
      class: 'portal-guide is-hidden', id: 'portal-instructions', dataset: { browser: detected.browser, os: detected.os },
    },
    guideItem(2, guide.download, 'download'),
    guideItem(3, guide.run, 'run'),
    guideItem(4, guide.allow, 'allow'));
    replace(resultPanel,
      h('div', { class: 'portal-code-ok' },
        h('p', null, icon('check', { size: 16 }), h('span', null, 'Code ', h('span', { class: 'mono', id: 'portal-code-accepted' }, groupCode(session.code)), ' accepted')),
        session.technician ? h('p', { class: 'portal-technician', id: 'portal-technician' }, `${session.technician} will help you`) : null),
      platformMismatch(detected, session.platform),
      stepper, status, guideList,
      h('div', { class: 'portal-result-actions' }, downloadLink,
        h('a', { href: '/', class: 'btn btn-ghost', id: 'portal-restart' }, 'Use another code')));

    const setStep = (current) => {
      const index = STEPS.findIndex((s) => s.key === current);
      stepper.dataset.current = current;
      for (const [i, li] of [...stepper.children].entries()) {
        const state = i < index ? 'done' : i === index ? 'current' : 'upcoming';
        li.dataset.state = state;
        if (state === 'current') li.setAttribute('aria-current', 'step');
        else li.removeAttribute('aria-current');
      }
      for (const item of guideList.children) item.classList.toggle('is-current', item.dataset.step === current);
    };

    setStep('download');
    status.dataset.phase = 'launching';
    replace(status, h('span', { class: 'spinner' }), h('span', null, 'Opening GuruConnect…'));

    // An installed app takes focus (or hides the page) when the URL scheme opens it.
    let launched = false;
    const onLost = () => {
      if (document.visibilityState === 'hidden' || !document.hasFocus()) launched = true;
    };
    window.addEventListener('blur', onLost);
    document.addEventListener('visibilitychange', onLost);
    window.addEventListener('pagehide', onLost);
    stopLaunchWatch = () => {
      window.removeEventListener('blur', onLost);
      document.removeEventListener('visibilitychange', onLost);
      window.removeEventListener('pagehide', onLost);
    };
    tryLaunch(session.launchUrl);
    launchTimer = setTimeout(() => {
      stopLaunchWatch();
      if (!alive) return;
      if (launched) {
        status.dataset.phase = 'launched';
        setStep('allow');
        replace(status, icon('check', { size: 16 }), h('span', null, 'GuruConnect opened. Allow the session in its window. If nothing opened, download it below.'));
        downloadLink.querySelector('.btn-label').textContent = 'Download GuruConnect';
        guideList.classList.remove('is-hidden');
        return;
      }
      status.dataset.phase = 'downloading';
      setStep('run');
      replace(status, icon('download', { size: 16 }), h('span', null, `Your download of ${session.fileName} has started. Follow these steps:`));
      guideList.classList.remove('is-hidden');
      downloadLink.click();
    }, LAUNCH_WAIT_MS);
  }

  return () => {
    alive = false;
    clearInterval(throttleTimer);
    clearTimeout(launchTimer);
    stopLaunchWatch();
  };
}

/**
 * Hands the guruconnect:// URL to the OS through a link click: a page that stays put
 * if no app is registered, where a frame would need a CSP exception.
 */
function tryLaunch(url) {
  if (!url) return;
  const link = h('a', { href: url, class: 'offscreen', 'aria-hidden': 'true', tabindex: '-1' });
  document.body.append(link);
  link.click();
  link.remove();
}

const PLATFORM_NAMES = { windows: 'Windows', linux: 'Linux', mac: 'macOS' };

/** The server picks the build (Windows or Linux); say so when this device runs something else. */
function platformMismatch(detected, platform) {
  if (!platform || platform === detected.os || (platform === 'linux' && detected.os === 'chromeos')) return null;
  if (detected.os !== 'mac') return null; // phones already see the note above the card
  const build = PLATFORM_NAMES[platform] || platform;
  return h('div', { class: 'portal-message portal-message-warning portal-platform-note', id: 'portal-platform-note', role: 'note' },
    icon('alert', { size: 16 }),
    h('span', null, `This download is GuruConnect for ${build}, and this device runs ${detected.osName}. Open this page on a ${build} computer, or ask your technician for another way to connect.`));
}

function guideItem(number, step, key) {
  return h('li', { class: 'portal-guide-item', dataset: { step: key } },
    h('span', { class: 'portal-guide-num', 'aria-hidden': 'true' }, String(number)),
    h('div', { class: 'portal-guide-body' },
      h('h2', { class: 'portal-guide-title' }, step.title),
      h('p', { class: 'portal-guide-text' }, step.text),
      ...(step.ways || []).map((way) => h('p', { class: 'portal-guide-text', dataset: { testid: 'portal-run-way' } }, way)),
      step.commandText ? h('p', { class: 'portal-guide-text', dataset: { testid: 'portal-command-text' } }, step.commandText) : null,
      step.command ? h('code', { class: 'portal-command', dataset: { testid: 'portal-command' } }, step.command) : null));
}

function digitsOf(text) {
  return String(text).replace(/\D+/g, '').slice(0, CODE_LENGTH);
}

function groupCode(code) {
  const digits = String(code || '');
  return digits.length === 6 ? `${digits.slice(0, 3)} ${digits.slice(3)}` : digits;
}

function formatWait(seconds) {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
