// The managers' statistics pages (/staff/stats and /staff/stats/report): the figures come from the
// API with the signed-in member of staff's token (staff-session.js), already drawn on the server as
// HTML with SVG charts and a table beside each; the filters are an ordinary GET form, so the
// address always says what is shown. The CSV is fetched with the token too and saved as a file.
import { session, keepFresh, signOut, forget } from './staff-session.js';

const root = document.querySelector('[data-stats]');
const words = JSON.parse(root.dataset.words);
const lang = root.dataset.lang;
const kind = root.dataset.stats;
const $ = (selector) => root.querySelector(selector);
const me = session();

function signInUrl(flag) {
  const base = root.dataset.signIn;
  return flag ? base + (base.includes('?') ? '&' : '?') + flag + '=1' : base;
}

function lost() {
  forget();
  location.assign(signInUrl('expired'));
}

$('[data-sign-out]').addEventListener('click', async () => {
  await signOut();
  location.assign(signInUrl('signedOut'));
});

/** The question for the API, from the form as the address gave it. */
function question(extra) {
  const form = new FormData($('[data-filters]'));
  const params = new URLSearchParams();
  for (const [name, value] of form.entries()) {
    if (value !== '' && name !== 'lang') {
      params.set(name, value);
    }
  }
  if (kind === 'report' && !params.get('organisation') && me && me.organisationId) {
    params.set('organisation', me.organisationId);
  }
  Object.entries(extra || {}).forEach(([name, value]) => params.set(name, value));
  return params;
}

function showError(status, problem) {
  const box = $('[data-error-box]');
  let text = words.error.other;
  if (status === 0) {
    text = words.error.network;
  } else if (status === 403) {
    text = words.error.forbidden;
  } else if (status === 422 && problem && problem.errors && problem.errors.length) {
    text = words.error.invalid + ' ' + problem.errors.map((e) => e.field + ' ' + e.message).join('; ');
  } else if (status === 503 || status === 429) {
    text = words.error.busy;
  }
  $('[data-error]').textContent = text;
  box.hidden = false;
}

async function call(path, accept) {
  const s = session();
  if (!s) {
    lost();
    return null;
  }
  try {
    const response = await fetch('/api/v1' + path, {
      cache: 'no-store', headers: { Authorization: 'Bearer ' + s.token, Accept: accept },
    });
    if (response.status === 401) {
      lost();
      return null;
    }
    if (!response.ok) {
      let problem = null;
      try {
        problem = await response.json();
      } catch (e) {
        problem = null;
      }
      showError(response.status, problem);
      return null;
    }
    return response;
  } catch (e) {
    showError(0, null);
    return null;
  }
}

async function load() {
  const path = kind === 'report' ? '/stats/report' : '/stats/dashboard';
  const params = question({ lang });
  if (kind === 'report') {
    params.delete('from');
  }
  const response = await call(path + '?' + params.toString(), 'text/html');
  $('[data-loading]').hidden = true;
  if (!response) {
    return;
  }
  const html = await response.text();
  const parsed = new DOMParser().parseFromString('<div>' + html + '</div>', 'text/html');
  $('[data-figures]').replaceChildren(...parsed.body.firstChild.childNodes);
  $('[data-announce]').textContent = words.shown;
}

async function downloadCsv() {
  let params;
  if (kind === 'report') {
    const year = Number($('#year').value);
    params = question({ from: (year - 1) + '-01-01', to: year + '-12-31', groupBy: 'month,service', format: 'csv' });
    params.delete('year');
    if (params.get('organisation')) {
      params.set('organisation', params.get('organisation'));
    }
  } else {
    params = question({ groupBy: 'week,servicePoint,service,channel', format: 'csv' });
  }
  const response = await call('/stats?' + params.toString(), 'text/csv');
  if (!response) {
    return;
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = (kind === 'report' ? 'uppfoljning-' + $('#year').value : 'statistik-' + params.get('from') + '-'
    + params.get('to')) + '.csv';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  $('[data-announce]').textContent = words.downloaded;
}

$('[data-csv]').addEventListener('click', downloadCsv);
const print = $('[data-print]');
if (print) {
  print.addEventListener('click', () => window.print());
}

if (!me) {
  location.replace(signInUrl(null));
} else {
  keepFresh(lost);
  $('[data-who]').textContent = me.email ? words.signedInAs.replace('{0}', me.email) : '';
  load();
}
