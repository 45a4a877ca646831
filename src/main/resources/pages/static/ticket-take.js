// Taking a queue ticket, and kiosk mode. Every take form's button works once (the form also carries
// an idempotency key, so even a double tap that gets through gives one ticket). Kiosk mode
// (?kiosk=1, remembered in this browser; ?kiosk=0 forgets it; ?print=1 prints each new ticket where
// the kiosk's browser has a printer) goes back to the start 20 seconds after the last touch, with a
// warning 10 seconds before, and never leaves a visitor's page in the history for the next one.
const KIOSK = 'sp-kiosk';
const PRINT = 'sp-kiosk-print';
const RESET_MS = 20000;
const WARN_MS = 10000;

function stored(key, value) {
  try {
    if (value === undefined) {
      return localStorage.getItem(key);
    }
    if (value === null) {
      localStorage.removeItem(key);
    } else {
      localStorage.setItem(key, value);
    }
  } catch {
    // storage switched off: the query flag carried in links still holds
  }
  return null;
}

const params = new URLSearchParams(location.search);
if (params.get('kiosk') === '1') {
  stored(KIOSK, '1');
} else if (params.get('kiosk') === '0') {
  stored(KIOSK, null);
  stored(PRINT, null);
} else if (stored(KIOSK) === '1' && document.querySelector('[data-ticket-take]')) {
  params.set('kiosk', '1');
  location.replace(`${location.pathname}?${params}`);
}
if (params.get('print') === '1') {
  stored(PRINT, '1');
} else if (params.get('print') === '0') {
  stored(PRINT, null);
}

// one press per button
for (const form of document.querySelectorAll('form[data-once]')) {
  form.addEventListener('submit', (event) => {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = 'true';
    for (const button of form.querySelectorAll('button[type=submit]')) {
      button.disabled = true;
      button.setAttribute('aria-disabled', 'true');
    }
  });
}

// a page brought back from the browser's memory (Back) is asked for again: a fresh key, no old ticket
window.addEventListener('pageshow', (event) => {
  if (event.persisted) {
    location.reload();
  }
});

const kiosk = document.querySelector('[data-kiosk]');
const resetUrl = document.querySelector('[data-kiosk-reset]')?.dataset.kioskReset;

if (kiosk) {
  const print = document.querySelector('[data-print]');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', () => window.print());
    if (params.get('ny') === '1' && stored(PRINT) === '1') {
      window.print();
    }
  }
}

if (kiosk && resetUrl) {
  const warning = document.querySelector('[data-kiosk-warning]');
  const words = document.querySelector('[data-kiosk-words]')?.dataset || {};
  const countdown = document.querySelector('[data-kiosk-countdown]');
  let deadline = Date.now() + RESET_MS;
  let warned = false;

  const restart = () => {
    deadline = Date.now() + RESET_MS;
    if (warned) {
      warned = false;
      warning.hidden = true;
      warning.querySelector('[data-kiosk-warning-text]').textContent = '';
    }
  };
  for (const type of ['pointerdown', 'keydown', 'input']) {
    document.addEventListener(type, restart, { capture: true, passive: true });
  }
  document.querySelector('[data-kiosk-stay]')?.addEventListener('click', restart);

  setInterval(() => {
    const left = deadline - Date.now();
    if (left <= 0) {
      location.replace(resetUrl); // replace: Back does not lead to this visitor's page
      return;
    }
    if (left <= WARN_MS && warning) {
      if (!warned) {
        warned = true;
        warning.hidden = false;
        warning.querySelector('[data-kiosk-warning-text]').textContent = words.tWarning || '';
      }
      countdown.textContent = (words.tCountdown || '').replace('{0}', Math.ceil(left / 1000));
    }
  }, 250);

  document.querySelector('[data-kiosk-done]')?.addEventListener('click', (event) => {
    event.preventDefault();
    location.replace(resetUrl);
  });
}
