// The counter console (/staff): choose the point and the counter (kept on this device), open,
// pause, resume and close it, call the next visitor (Alt+N; the button rests for a moment after
// each call, so a double click cannot call two), act on the called visitor, call a chosen ticket,
// and follow the whole queue live from the staff stream. Every connection starts from the
// stream's snapshot, so the page is caught up as soon as it arrives; when the stream drops or its
// named heartbeats stop (a watchdog at 2.5 intervals) the page says "Offline – reconnecting" and
// the buttons that act on the queue rest until a new snapshot has come.
import { session, keepFresh, signOut, api, forget } from './staff-session.js';

const root = document.querySelector('[data-console]');
const words = JSON.parse(root.dataset.words);
const lang = root.dataset.lang;
const heartbeatMs = Math.max(1, Number(root.dataset.heartbeatSeconds) || 15) * 1000;
const staleAfterMs = heartbeatMs * 2.5;
const CALL_REST_MS = 2000;
const PLACE_KEY = 'servicepunkt.console.place';
const OPEN = ['waiting', 'called', 'serving'];
const $ = (selector) => root.querySelector(selector);

let me = session();
let points = [];            // the points where the member of staff's organisation serves
let point = null;           // the chosen point
let counterId = null;       // the chosen counter
let services = new Map();   // id -> service of the point
let tickets = new Map();    // id -> open ticket
let counters = new Map();   // id -> counter with its session
let details = null;         // the current visitor as the API gives it (names, times, video link)
let source = null;
let live = false;           // a snapshot came on this connection and the stream is alive
let lastId = null;
let lastSign = 0;
let retryTimer = null;
let retryDelay = 1000;
let working = false;        // an action is under way
let restUntil = 0;          // call next rests until then
let pendingOpen = false;
let shownOffline = false;
let dayBookings = [];       // today's bookings at the point (GET /service-points/ID/todays-bookings)
let bookingsTimer = null;

// ---- words and times ------------------------------------------------------------------------

function fill(text, ...values) {
  return values.reduce((t, v, i) => t.replace('{' + i + '}', String(v)), text);
}

function clock(iso) {
  if (!iso) {
    return '';
  }
  const zone = point ? point.timeZone : undefined;
  const text = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'sv-SE',
    { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  return lang === 'en' ? text : text.replace(':', '.');
}

function serviceName(id) {
  const s = services.get(id);
  return s ? (lang === 'en' ? s.nameEn : s.nameSv) : '';
}

// at a shared point only the organisation whose service a ticket is for calls it (the system administrator any)
function ownService(id) {
  const s = services.get(id);
  return !me || !me.organisationId || !s || s.organisationId === me.organisationId;
}

function channelName(channel) {
  return words.channel[channel] || channel;
}

function announce(text) {
  const box = $('[data-announce]');
  box.textContent = '';
  setTimeout(() => { box.textContent = text; }, 50);
}

function showError(text) {
  $('[data-error]').textContent = text || '';
  $('[data-error-box]').hidden = !text;
}

function errorText(status) {
  if (status === 409 || status === 422) {
    return words.error.conflict;
  }
  if (status === 403) {
    return words.error.forbidden;
  }
  if (status === 429 || status === 503) {
    return words.error.busy;
  }
  return status === 0 ? words.error.network : words.error.other;
}

// ---- the session ----------------------------------------------------------------------------

function signInUrl(flag) {
  const base = root.dataset.signIn;
  return flag ? base + (base.includes('?') ? '&' : '?') + flag + '=1' : base;
}

function lost() {
  close();
  forget();
  location.assign(signInUrl('expired'));
}

$('[data-sign-out]').addEventListener('click', async () => {
  close();
  await signOut();
  location.assign(signInUrl('signedOut'));
});

// ---- choosing the point and the counter -----------------------------------------------------

const pointSelect = $('[data-point-select]');
const counterSelect = $('[data-counter-select]');

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

async function loadCounters(pointId, chosen) {
  const answer = await api('GET', '/service-points/' + pointId + '/counters');
  const list = answer.status === 200 ? answer.body : [];
  counterSelect.replaceChildren(...list.map((c) => option(c.id,
    c.channel === 'video' ? c.name + ' (' + words.place.video + ')' : c.name)));
  if (chosen && list.some((c) => c.id === chosen)) {
    counterSelect.value = chosen;
  }
  return list;
}

async function showPlace(canCancel) {
  pointSelect.replaceChildren(...points.map((p) => option(p.id, p.name)));
  if (point) {
    pointSelect.value = point.id;
  }
  if (points.length) {
    await loadCounters(pointSelect.value, counterId);
  }
  $('[data-work]').hidden = true;
  $('[data-place]').hidden = false;
  $('[data-place-cancel]').hidden = !canCancel;
  $('[data-no-points]').hidden = points.length > 0;
  $('[data-place-form]').hidden = points.length === 0;
  render();
  if (canCancel) {
    $('#place-heading').setAttribute('tabindex', '-1');
    $('#place-heading').focus();
  }
}

pointSelect.addEventListener('change', () => loadCounters(pointSelect.value, null));

$('[data-place-cancel]').addEventListener('click', () => {
  $('[data-place]').hidden = true;
  $('[data-work]').hidden = false;
  $('[data-change-place]').focus();
});

$('[data-place-form]').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!pointSelect.value || !counterSelect.value) {
    return;
  }
  localStorage.setItem(PLACE_KEY, JSON.stringify({ point: pointSelect.value, counter: counterSelect.value }));
  await usePlace(pointSelect.value, counterSelect.value);
  $('[data-counter-name]').closest('h2').setAttribute('tabindex', '-1');
  $('#counter-heading').focus();
});

$('[data-change-place]').addEventListener('click', () => showPlace(true));

async function usePlace(pointId, chosenCounter) {
  point = points.find((p) => p.id === pointId) || null;
  counterId = chosenCounter;
  const answer = await api('GET', '/service-points/' + pointId + '/services');
  if (answer.status === 401) {
    lost();
    return;
  }
  services = new Map((answer.status === 200 ? answer.body : []).map((s) => [s.id, s]));
  const list = await loadCounters(pointId, chosenCounter);
  counters = new Map(list.map((c) => [c.id, Object.assign({ session: null }, c)]));
  tickets = new Map();
  details = null;
  dayBookings = [];
  $('[data-place]').hidden = true;
  $('[data-work]').hidden = false;
  $('[data-point-name]').textContent = point ? ' – ' + point.name : '';
  // the residents' booking questions for this point, as staff (the tab opened shares this one's session)
  $('[data-book-for]').href = '/boka?servicepunkt=' + encodeURIComponent(pointId) + '&personal=1'
    + (lang === 'en' ? '&lang=en' : '');
  const transfer = $('[data-transfer-select]');
  transfer.replaceChildren(...[...services.values()].map((s) => option(s.id, s.ticketLetter + ' ' + (lang === 'en' ? s.nameEn : s.nameSv))));
  live = false;
  shownOffline = false;
  lastId = null;
  connect();
  render();
}

// ---- the stream -----------------------------------------------------------------------------

function close() {
  if (source) {
    source.close();
    source = null;
  }
  clearTimeout(retryTimer);
  retryTimer = null;
}

function connect() {
  close();
  const s = session();
  if (!s) {
    lost();
    return;
  }
  // a fresh snapshot each time: it is the whole queue, so the page is caught up once it comes
  const es = new EventSource('/api/v1/service-points/' + point.id + '/queue/events?access_token=' + encodeURIComponent(s.token));
  source = es;
  lastSign = Date.now();
  es.addEventListener('snapshot', (e) => { if (es === source) snapshot(JSON.parse(e.data)); });
  es.addEventListener('heartbeat', () => { if (es === source) alive(); });
  // the server ends the stream when this sign-in has ended (signed out elsewhere, deactivated, roles changed)
  es.addEventListener('access-ended', () => { if (es === source) lost(); });
  ['ticket-created', 'ticket-called', 'ticket-recalled', 'ticket-started', 'ticket-finished', 'ticket-no-show',
    'ticket-returned', 'ticket-transferred', 'ticket-expired', 'ticket-cancelled',
    'counter-opened', 'counter-paused', 'counter-resumed', 'counter-closed'].forEach((type) =>
    es.addEventListener(type, (e) => { if (es === source) received(type, Number(e.lastEventId), JSON.parse(e.data)); }));
  es.addEventListener('error', () => {
    if (es !== source) {
      return;
    }
    // dropped: EventSource would resume from the last id by itself; a new snapshot is simpler and as cheap
    offline();
    close();
    if (!session()) {
      lost();
      return;
    }
    retryLater();
    // a stream refused or ended because the sign-in ended elsewhere: back to sign-in, not round and round
    api('GET', '/auth/me').then((answer) => { if (answer.status === 401) lost(); });
  });
}

function retryLater() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => { retryTimer = null; if (point) connect(); }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 30000);
}

function alive() {
  lastSign = Date.now();
}

function offline() {
  if (live) {
    live = false;
  }
  if (!shownOffline) {
    shownOffline = true;
    announce(words.offline);
  }
  render();
}

// the watchdog: nothing for 2.5 heartbeat intervals means the page no longer knows the queue
setInterval(() => {
  if (!point || $('[data-work]').hidden) {
    return;
  }
  if (source && Date.now() - lastSign > staleAfterMs) {
    offline();
    close();
    retryLater();
  }
}, 500);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && point && !source && retryTimer) {
    clearTimeout(retryTimer);
    connect();
  }
});
setInterval(() => { if (live) renderQueue(); }, 30000); // the minutes waited

function snapshot(data) {
  lastId = data.lastEventId;
  tickets = new Map((data.tickets || []).map((t) => [t.id, {
    id: t.id, number: t.number, serviceId: t.service.id, channel: t.channel, status: t.status,
    priority: t.priority, booked: t.booked, bookedStart: t.bookedStart, arrivedAt: t.arrivedAt,
    counterId: t.counter ? t.counter.id : null, counterName: t.counter ? t.counter.name : null,
  }]));
  (data.counters || []).forEach((c) => counters.set(c.id, c));
  live = true;
  shownOffline = false;
  retryDelay = 1000;
  alive();
  $('[data-offline]').hidden = true;
  refreshDetails(true);
  loadBookings();
  render();
}

function received(type, id, data) {
  alive();
  if (lastId != null && id <= lastId) {
    return;
  }
  lastId = id;
  if (data.ticket) {
    const t = data.ticket;
    if (OPEN.includes(t.status)) {
      const before = tickets.get(t.id);
      tickets.set(t.id, Object.assign({ arrivedAt: data.at, bookedStart: null }, before || {}, {
        id: t.id, number: t.number, serviceId: t.serviceId, channel: t.channel, status: t.status,
        priority: t.priority, booked: t.booked, counterId: t.counterId, counterName: t.counterName,
      }));
      if (!before && t.booked) {
        bookedTime(t.id); // a checked-in booking: its time is not in the event
      }
    } else {
      tickets.delete(t.id);
    }
    if (details && details.id === t.id || t.counterId === counterId) {
      refreshDetails(true);
    }
    const listed = dayBookings.find((b) => b.ticket && b.ticket.id === t.id);
    if (listed) {
      listed.ticket.status = t.status;
    } else if (t.checkedIn && type === 'ticket-created') {
      soonLoadBookings(); // someone checked in: the list says who
    }
  }
  if (data.counter) {
    const c = counters.get(data.counter.id) || { id: data.counter.id, name: data.counter.name, session: null };
    const status = { 'counter-opened': 'open', 'counter-resumed': 'open', 'counter-paused': 'paused' }[type];
    if (status) {
      const staffId = c.session && c.session.staffId
        || (type === 'counter-opened' && pendingOpen && c.id === counterId ? me.staffId : null);
      c.session = Object.assign({}, c.session || {}, { status, staffId,
        pauseReason: status === 'paused' ? data.counter.pauseReason || null : null,
        pausedAt: status === 'paused' ? data.at : null });
    } else {
      c.session = null;
    }
    counters.set(c.id, c);
  }
  render();
}

async function bookedTime(id) {
  const answer = await api('GET', '/tickets/' + id);
  const known = tickets.get(id);
  if (answer.status === 200 && known) {
    known.bookedStart = answer.body.bookedStart;
    known.arrivedAt = answer.body.arrivedAt || known.arrivedAt;
    renderQueue();
  }
}

// ---- today's bookings, with check-in at the desk ------------------------------------------------

async function loadBookings() {
  clearTimeout(bookingsTimer);
  bookingsTimer = null;
  if (!point) {
    return;
  }
  const asked = point.id;
  const answer = await api('GET', '/service-points/' + asked + '/todays-bookings');
  if (answer.status === 200 && point && point.id === asked) {
    dayBookings = answer.body.bookings;
    renderBookings();
  }
}

function soonLoadBookings() {
  if (!bookingsTimer) {
    bookingsTimer = setTimeout(loadBookings, 300);
  }
}

// bookings made or cancelled meanwhile (by phone, on the web) and check-in opening: look again now and then
setInterval(() => { if (live) loadBookings(); }, 60000);

function checkIn(reference) {
  const booking = dayBookings.find((b) => b.reference === reference);
  if (!booking) {
    return;
  }
  act('POST', '/bookings/' + encodeURIComponent(reference) + '/check-in', undefined, (answer) => {
    booking.ticket = { id: answer.body.id, number: answer.body.number, status: answer.body.status };
    announce(fill(words.bookings.done, booking.name || reference, answer.body.number));
    loadBookings();
  });
}

// ---- the current visitor ------------------------------------------------------------------------

function current() {
  return [...tickets.values()].find((t) => t.counterId === counterId && (t.status === 'called' || t.status === 'serving')) || null;
}

let detailsFor = null;
async function refreshDetails(force) {
  const t = current();
  if (!t) {
    details = null;
    detailsFor = null;
    return;
  }
  if (!force && detailsFor === t.id) {
    return;
  }
  detailsFor = t.id;
  const answer = await api('GET', '/tickets/' + t.id);
  if (answer.status === 200 && current() && current().id === answer.body.id) {
    details = answer.body;
    render();
  }
}

// ---- actions --------------------------------------------------------------------------------

function mine() {
  const c = counters.get(counterId);
  return !!(c && c.session && c.session.staffId === me.staffId);
}

function counterStatus() {
  const c = counters.get(counterId);
  if (!c || !c.session) {
    return 'closed';
  }
  return mine() ? c.session.status : 'taken';
}

function canCall() {
  return live && !working && counterStatus() === 'open' && !current();
}

async function act(method, path, body, after) {
  if (working || !live) {
    return;
  }
  working = true;
  showError(null);
  render();
  const answer = await api(method, path, body);
  working = false;
  if (answer.status === 401) {
    lost();
    return;
  }
  if (answer.status >= 200 && answer.status < 300) {
    after(answer);
  } else {
    showError(errorText(answer.status));
  }
  render();
  keepFocus();
}

function counterAction(action, body) {
  const path = '/counters/' + counterId + (action === 'open' || action === 'close' ? '/session' : '/' + action);
  const method = action === 'close' ? 'DELETE' : 'POST';
  pendingOpen = action === 'open';
  act(method, path, body, (answer) => {
    pendingOpen = false;
    if (answer.body && answer.body.id) {
      counters.set(answer.body.id, answer.body);
    }
    const name = (counters.get(counterId) || {}).name || '';
    announce(fill(action === 'close' ? words.counter.wasClosed : action === 'pause' ? words.counter.wasPaused
      : words.counter.opened, name));
    if (action === 'pause') {
      hidePause(false);
    }
  }).finally(() => { pendingOpen = false; });
}

// ---- pausing, with a reason colleagues see ---------------------------------------------------

const pauseForm = $('[data-pause-form]');

function reasonName(reason) {
  return (words.pause.reason[reason] || reason || '').toLocaleLowerCase(lang === 'en' ? 'en-GB' : 'sv-SE');
}

function showPause() {
  pauseForm.hidden = false;
  pauseError(false);
  pauseForm.querySelectorAll('input[name=reason]').forEach((r) => { r.checked = false; });
  pauseForm.querySelector('input[name=reason]').focus();
}

function hidePause(focusPause) {
  pauseForm.hidden = true;
  pauseError(false);
  if (focusPause) {
    const button = $('[data-action="pause"]');
    if (button && !button.hidden) {
      button.focus();
    }
  }
}

function pauseError(on) {
  $('[data-pause-error]').hidden = !on;
  $('[data-pause-field]').classList.toggle('field-error', on);
  const fieldset = pauseForm.querySelector('fieldset');
  fieldset.setAttribute('aria-describedby', on ? 'pause-error pause-hint' : 'pause-hint');
}

pauseForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (event.submitter && event.submitter.getAttribute('aria-disabled') === 'true') {
    return;
  }
  const chosen = pauseForm.querySelector('input[name=reason]:checked');
  if (!chosen) {
    pauseError(true);
    pauseForm.querySelector('input[name=reason]').focus();
    return;
  }
  counterAction('pause', { reason: chosen.value });
});

$('[data-pause-cancel]').addEventListener('click', () => hidePause(true));
pauseForm.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    hidePause(true);
  }
});

function calledTicket(answer) {
  if (answer.status === 204 || !answer.body) {
    announce(words.visitor.nobody);
    return;
  }
  const t = answer.body;
  details = t;
  detailsFor = t.id;
  tickets.set(t.id, Object.assign({}, tickets.get(t.id) || {}, {
    id: t.id, number: t.number, serviceId: t.service.id, channel: t.channel, status: t.status,
    priority: t.priorityReason != null, booked: t.booked, bookedStart: t.bookedStart, arrivedAt: t.arrivedAt,
    counterId: t.counter ? t.counter.id : counterId, counterName: t.counter ? t.counter.name : null,
  }));
  announce(fill(words.visitor.calledAnnounce, t.number, t.counter ? t.counter.name : ''));
  if (t.videoLink) {
    window.open(t.videoLink, '_blank', 'noopener'); // admitted: the meeting opens for staff too
  }
}

function rest() {
  restUntil = Date.now() + CALL_REST_MS;
  setTimeout(render, CALL_REST_MS + 10);
}

function callNext() {
  if (!canCall() || Date.now() < restUntil) {
    return;
  }
  rest();
  act('POST', '/counters/' + counterId + '/call-next', undefined, calledTicket);
}

function callChosen(id) {
  if (!canCall() || Date.now() < restUntil) {
    return;
  }
  rest();
  act('POST', '/counters/' + counterId + '/call', { ticketId: id }, calledTicket);
}

function visitAction(action, body, message) {
  const t = current();
  if (!t) {
    return;
  }
  act('POST', '/tickets/' + t.id + '/' + action, body, (answer) => {
    const changed = answer.body;
    if (changed && changed.id) {
      if (OPEN.includes(changed.status) && !(action === 'transfer' || action === 'return')) {
        details = changed;
        const known = tickets.get(changed.id);
        if (known) {
          known.status = changed.status;
        }
      } else if (action === 'transfer' || action === 'return') {
        const known = tickets.get(changed.id);
        if (known) {
          Object.assign(known, { status: changed.status, serviceId: changed.service.id, counterId: null, counterName: null });
        }
        details = null;
      } else {
        tickets.delete(changed.id);
        details = null;
      }
    }
    if (action === 'finish') {
      $('#outcome').value = '';
    }
    announce(fill(message, t.number, changed && changed.service ? (lang === 'en' ? changed.service.nameEn : changed.service.nameSv) : ''));
  });
}

root.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action], button[data-call], button[data-check-in]');
  if (!button || button.closest('form') && button.type === 'submit') {
    return;
  }
  event.preventDefault();
  if (button.getAttribute('aria-disabled') === 'true') {
    return;
  }
  const action = button.dataset.action;
  if (button.dataset.checkIn) {
    checkIn(button.dataset.checkIn);
  } else if (button.dataset.call) {
    callChosen(button.dataset.call);
  } else if (action === 'pause') {
    showPause();
  } else if (['open', 'resume', 'close'].includes(action)) {
    counterAction(action);
  } else if (action === 'call-next') {
    callNext();
  } else if (action === 'start') {
    visitAction('start', undefined, words.visitor.started);
  } else if (action === 'recall') {
    visitAction('recall', undefined, words.visitor.recalledAnnounce);
  } else if (action === 'no-show') {
    visitAction('no-show', undefined, words.visitor.noShowDone);
  } else if (action === 'return') {
    visitAction('return', undefined, words.visitor.returned);
  }
});

$('[data-finish-form]').addEventListener('submit', (event) => {
  event.preventDefault();
  if (event.submitter && event.submitter.getAttribute('aria-disabled') === 'true') {
    return;
  }
  const outcome = $('#outcome').value.trim();
  visitAction('finish', outcome ? { outcome } : undefined, words.visitor.finished);
});

$('[data-transfer-form]').addEventListener('submit', (event) => {
  event.preventDefault();
  const serviceId = $('[data-transfer-select]').value;
  if (!serviceId || event.submitter && event.submitter.getAttribute('aria-disabled') === 'true') {
    return;
  }
  visitAction('transfer', { serviceId }, words.visitor.transferred);
});

// Alt+N calls the next visitor from anywhere on the page (a modifier, so typing never calls anyone)
document.addEventListener('keydown', (event) => {
  if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.code === 'KeyN') {
    event.preventDefault();
    callNext();
  }
});

/**
 * When the button that had the focus went away (a visit started, finished; by this page or by
 * the stream), the focus goes where the work goes on. After an action also when it was lost.
 */
function keepFocus(onlyIfHidden) {
  const active = document.activeElement;
  const lostAlready = !active || active === document.body;
  if (lostAlready ? onlyIfHidden : active.offsetParent !== null) {
    return;
  }
  const t = current();
  const target = counterStatus() === 'paused' ? $('[data-action="resume"]')
    : !t ? $('[data-action="call-next"]')
      : t.status === 'serving' ? $('#outcome') : $('[data-action="start"]');
  if (target && target.offsetParent !== null) {
    target.focus();
  }
}

// ---- drawing --------------------------------------------------------------------------------

function enable(button, on) {
  if (on) {
    button.removeAttribute('aria-disabled');
  } else {
    button.setAttribute('aria-disabled', 'true');
  }
}

function render() {
  $('[data-loading]').hidden = true;
  // offline once a stream has dropped or gone quiet (not while the first one is on its way)
  $('[data-offline]').hidden = live || !shownOffline || !point || $('[data-work]').hidden;
  root.dataset.state = live ? 'live' : 'offline';
  if (!point) {
    return;
  }
  const c = counters.get(counterId);
  const status = counterStatus();
  $('[data-counter-name]').textContent = c ? c.name : '';
  $('[data-counter-state]').textContent = status === 'paused' && c.session.pauseReason
    ? fill(words.pause.pausedFor, reasonName(c.session.pauseReason), clock(c.session.pausedAt))
    : { closed: words.counter.closed, open: words.counter.isOpen, paused: words.counter.paused,
      taken: words.counter.taken }[status];
  if (status !== 'open' && !pauseForm.hidden) {
    hidePause(false);
  }
  pauseForm.querySelectorAll('button').forEach((button) => enable(button, live && !working));
  $('[data-counter-state]').className = 'console-state console-state-' + status;
  root.dataset.counter = status;
  const show = { open: status === 'closed', pause: status === 'open', resume: status === 'paused',
    close: status === 'open' || status === 'paused' };
  Object.entries(show).forEach(([action, visible]) => {
    const button = $('[data-action="' + action + '"]');
    button.hidden = !visible;
    enable(button, live && !working);
  });

  const t = current();
  const callButton = $('[data-action="call-next"]');
  enable(callButton, canCall() && Date.now() >= restUntil);
  $('[data-call-hint]').textContent = !live ? words.hint.offline
    : status === 'paused' ? words.hint.paused
      : status !== 'open' ? words.hint.closed
        : t ? words.hint.busy : words.hint.ready;
  renderVisitor(t);
  renderQueue();
  renderBookings();
  renderCounters();
  if (!$('[data-work]').hidden) {
    keepFocus(true);
  }
}

function renderVisitor(t) {
  const box = $('[data-visitor]');
  box.hidden = !t;
  root.dataset.visitor = t ? t.status : 'none';
  if (!t) {
    return;
  }
  const d = details && details.id === t.id ? details : null;
  $('[data-visitor-number]').textContent = t.number;
  $('[data-visitor-service]').textContent = d ? (lang === 'en' ? d.service.nameEn : d.service.nameSv) : serviceName(t.serviceId);
  $('[data-visitor-channel]').textContent = channelName(t.channel);
  const bookedStart = d ? d.bookedStart : t.bookedStart;
  $('[data-visitor-kind]').textContent = !t.booked ? words.queue.walkIn
    : bookedStart ? fill(words.queue.booked, clock(bookedStart)) : words.queue.bookedPlain;
  const booking = d && d.booking;
  $('[data-visitor-booking-row]').hidden = !booking;
  $('[data-visitor-booking]').textContent = booking
    ? (booking.name ? booking.name + ', ' : '') + fill(words.visitor.reference, booking.reference) : '';
  $('[data-visitor-priority-row]').hidden = !t.priority;
  $('[data-visitor-priority]').textContent = d && d.priorityReason ? (words.reason[d.priorityReason] || d.priorityReason)
    : words.queue.priority;
  $('[data-visitor-state]').textContent = t.status === 'serving'
    ? fill(words.visitor.serving, clock(d ? d.startedAt : null))
    : d && d.recalls > 0 ? fill(words.visitor.recalled, clock(d.calledAt), d.recalls)
      : fill(words.visitor.called, clock(d ? d.calledAt : null));
  const video = d && d.videoLink;
  $('[data-video]').hidden = !video;
  if (video) {
    $('[data-video-link]').href = video;
  }
  box.querySelectorAll('[data-when]').forEach((part) => { part.hidden = part.dataset.when !== t.status; });
  box.querySelectorAll('button').forEach((button) => enable(button, live && !working));
  const select = $('[data-transfer-select]');
  [...select.options].forEach((o) => { o.disabled = o.value === t.serviceId; });
  if (select.value === t.serviceId) {
    const other = [...select.options].find((o) => !o.disabled);
    select.value = other ? other.value : '';
  }
}

function renderQueue() {
  const waiting = [...tickets.values()].filter((t) => t.status === 'waiting')
    .sort((a, b) => (a.bookedStart || a.arrivedAt || '').localeCompare(b.bookedStart || b.arrivedAt || ''));
  const body = $('[data-queue]');
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.call : null;
  const callable = canCall() && Date.now() >= restUntil;
  body.replaceChildren(...waiting.map((t) => {
    const row = document.createElement('tr');
    row.dataset.ticket = t.id;
    const number = document.createElement('th');
    number.scope = 'row';
    number.className = 'console-ticket-number';
    number.textContent = t.number;
    const service = document.createElement('td');
    service.textContent = serviceName(t.serviceId);
    const channel = document.createElement('td');
    channel.textContent = channelName(t.channel);
    const kind = document.createElement('td');
    kind.textContent = !t.booked ? words.queue.walkIn
      : t.bookedStart ? fill(words.queue.booked, clock(t.bookedStart)) : words.queue.bookedPlain;
    if (t.priority) {
      const tag = document.createElement('strong');
      tag.className = 'console-priority';
      tag.textContent = words.queue.priority;
      kind.append(' ', tag);
    }
    const waited = document.createElement('td');
    waited.className = 'console-waited';
    waited.textContent = t.arrivedAt ? fill(words.queue.minutes, Math.max(0, Math.floor((Date.now() - Date.parse(t.arrivedAt)) / 60000))) : '';
    const action = document.createElement('td');
    if (ownService(t.serviceId)) { // another organisation's visitor is theirs to call: no button
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button button-secondary console-row-call';
      button.dataset.call = t.id;
      const hidden = document.createElement('span');
      hidden.className = 'visually-hidden';
      hidden.textContent = ' ' + t.number;
      button.append(words.queue.call, hidden);
      enable(button, callable);
      action.append(button);
    }
    row.append(number, service, channel, kind, waited, action);
    return row;
  }));
  if (focused) {
    const again = body.querySelector('[data-call="' + focused + '"]');
    if (again) {
      again.focus();
    }
  }
  $('[data-queue-empty]').hidden = waiting.length > 0;
  $('[data-queue-wrap]').hidden = waiting.length === 0;
  $('[data-queue-count]').textContent = waiting.length ? fill(words.queue.count, waiting.length) : '';
  root.dataset.waiting = String(waiting.length);
}

function renderBookings() {
  const body = $('[data-bookings]');
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.checkIn : null;
  const now = Date.now();
  body.replaceChildren(...dayBookings.map((b) => {
    const row = document.createElement('tr');
    if (b.reference) {
      row.dataset.booking = b.reference;
    }
    const time = document.createElement('th');
    time.scope = 'row';
    time.className = 'console-ticket-number';
    time.textContent = clock(b.start);
    const service = document.createElement('td');
    service.textContent = lang === 'en' ? b.service.nameEn : b.service.nameSv;
    const channel = document.createElement('td');
    channel.textContent = channelName(b.channel);
    const who = document.createElement('td');
    if (b.ownOrganisation) {
      const reference = document.createElement('span');
      reference.className = 'console-reference';
      reference.textContent = b.reference;
      who.append(b.name ? b.name + ', ' : '', reference);
    } else {
      who.className = 'console-booked-other';
      who.textContent = words.bookings.otherOrganisation;
    }
    const checked = document.createElement('td');
    checked.textContent = b.ticket ? fill(words.bookings.yes, b.ticket.number) : words.bookings.no;
    const action = document.createElement('td');
    if (b.ownOrganisation && !b.ticket) {
      if (now >= Date.parse(b.checkInFrom)) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button button-secondary console-row-call';
        button.dataset.checkIn = b.reference;
        const hidden = document.createElement('span');
        hidden.className = 'visually-hidden';
        hidden.textContent = ' ' + fill(words.bookings.checkInLabel, b.name || b.reference, clock(b.start));
        button.append(words.bookings.checkIn, hidden);
        enable(button, live && !working);
        action.append(button);
      } else {
        action.textContent = fill(words.bookings.from, clock(b.checkInFrom));
      }
    }
    row.append(time, service, channel, who, checked, action);
    return row;
  }));
  if (focused) {
    const again = body.querySelector('[data-check-in="' + focused + '"]');
    if (again) {
      again.focus();
    }
  }
  $('[data-bookings-empty]').hidden = dayBookings.length > 0;
  $('[data-bookings-wrap]').hidden = dayBookings.length === 0;
  $('[data-bookings-count]').textContent = dayBookings.length ? fill(words.bookings.count, dayBookings.length) : '';
}

function renderCounters() {
  const list = $('[data-counters]');
  list.replaceChildren(...[...counters.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv')).map((c) => {
    const item = document.createElement('li');
    const name = document.createElement('strong');
    name.textContent = c.name;
    const state = !c.session ? words.counters.closed
      : c.session.status !== 'paused' ? words.counters.open
        : c.session.pauseReason ? fill(words.pause.listed, reasonName(c.session.pauseReason), clock(c.session.pausedAt))
          : words.counters.paused;
    const at = [...tickets.values()].filter((t) => t.counterId === c.id && (t.status === 'called' || t.status === 'serving'))
      .map((t) => t.number).join(', ');
    item.append(name, ': ' + state + (at ? ' – ' + at : ''));
    return item;
  }));
}

// ---- start --------------------------------------------------------------------------------

async function start() {
  if (!me) {
    location.replace(signInUrl(null));
    return;
  }
  keepFresh(lost);
  $('[data-who]').textContent = me.email ? fill(words.signedInAs, me.email) : '';
  // the statistics are for managers and administrators (the API answers anyone else 403)
  $('[data-stats-link]').hidden = !(me.roles || []).some((role) => ['manager', 'admin', 'sysadmin'].includes(role));
  const answer = await api('GET', '/service-points' + (me.organisationId ? '?serving=' + me.organisationId : ''));
  if (answer.status === 401) {
    lost();
    return;
  }
  if (answer.status !== 200) {
    $('[data-loading]').hidden = true;
    showError(errorText(answer.status));
    return;
  }
  points = answer.body;
  let kept = null;
  try {
    kept = JSON.parse(localStorage.getItem(PLACE_KEY) || 'null');
  } catch (e) {
    kept = null;
  }
  $('[data-loading]').hidden = true;
  if (kept && points.some((p) => p.id === kept.point)) {
    await usePlace(kept.point, kept.counter);
    if (!counters.has(counterId)) {
      await showPlace(false); // the counter is gone: choose again
    }
  } else {
    await showPlace(false);
  }
}

start();

// for tests and the curious
window.servicepunktConsole = {
  state: () => ({ live, lastId, counter: counterStatus(), waiting: [...tickets.values()].filter((t) => t.status === 'waiting').length,
    current: current() ? current().number : null, working, source: source ? source.readyState : -1,
    bookings: dayBookings.length, checkedIn: dayBookings.filter((b) => b.ticket).length }),
};
