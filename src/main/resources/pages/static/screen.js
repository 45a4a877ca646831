// The reception screen (/screen/POINT): set-up with the display token (kept in localStorage),
// then the latest calls, the waiting per service and the clock, live from the display stream.
// Calls are announced one after the other (a chime, then Swedish speech where the browser has a
// Swedish voice). A watchdog marks the screen stale when named heartbeats stop, and reconnects
// with the last event id itself; events are applied once each, in id order. Everything kept is
// bounded: at most MAX_CALLS calls on screen and MAX_QUEUED announcements waiting.
const root = document.querySelector('[data-screen]');
const MAX_CALLS = 6;
const MAX_QUEUED = 12;
const point = root.dataset.point;
const storeKey = 'servicepunkt.screen.' + point;
const heartbeatMs = Math.max(1, Number(root.dataset.heartbeatSeconds) || 15) * 1000;
const staleAfterMs = heartbeatMs * 2.5;
const zone = root.dataset.timeZone;
const $ = (selector) => root.querySelector(selector);
const setup = $('[data-setup]');
const live = $('[data-live]');
const callsList = $('[data-calls]');
const waitingBody = $('[data-waiting]');
const staleBox = $('[data-stale]');
const announceBox = $('[data-announce]');
const form = $('[data-setup-form]');
const tokenInput = form.querySelector('#token');
const TYPES = ['ticket-created', 'ticket-called', 'ticket-recalled', 'ticket-started', 'ticket-finished',
  'ticket-no-show', 'ticket-returned', 'ticket-transferred', 'ticket-expired', 'ticket-cancelled',
  'counter-opened', 'counter-paused', 'counter-resumed', 'counter-closed'];

let token = null;
let sound = false;
let source = null;
let lastId = null;          // the id of the last event applied (or the snapshot's)
let lastSign = 0;           // when the stream last showed it was alive
let stale = false;
let retryTimer = null;
let retryDelay = 1000;
let calls = [];             // [{number, counter}] newest first, at most MAX_CALLS
let services = new Map();   // service id -> {letter, nameSv, nameEn}
let waiting = [];
let announced = 0;

// ---- set-up ---------------------------------------------------------------------------------

function saved() {
  try {
    return JSON.parse(localStorage.getItem(storeKey) || 'null');
  } catch (e) {
    return null;
  }
}

function showSetup(revoked) {
  close();
  document.body.classList.remove('screen-running');
  live.hidden = true;
  setup.hidden = false;
  $('[data-revoked]').hidden = !revoked;
}

function setupError(message) {
  const summary = $('[data-setup-errors]');
  const error = $('[data-token-error]');
  $('[data-checking]').hidden = true;
  if (!message) {
    summary.hidden = true;
    error.hidden = true;
    $('[data-token-field]').classList.remove('field-error');
    tokenInput.removeAttribute('aria-invalid');
    tokenInput.setAttribute('aria-describedby', 'token-hint');
    return;
  }
  $('[data-setup-error-link]').textContent = message;
  error.textContent = message;
  error.hidden = false;
  summary.hidden = false;
  $('[data-token-field]').classList.add('field-error');
  tokenInput.setAttribute('aria-invalid', 'true');
  tokenInput.setAttribute('aria-describedby', 'token-hint token-error');
  summary.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const value = tokenInput.value.trim();
  const withSound = event.submitter ? event.submitter.value === 'on' : false;
  if (!value) {
    setupError(form.dataset.missing);
    return;
  }
  if (withSound) {
    unlockSound(); // inside the click: browsers allow sound only after a gesture
  }
  $('[data-checking]').hidden = false;
  const status = await probe(value);
  if (status === 401 || status === 404) {
    setupError(form.dataset.rejected);
    return;
  }
  setupError(null);
  localStorage.setItem(storeKey, JSON.stringify({ token: value, sound: withSound }));
  tokenInput.value = '';
  start(value, withSound);
});

$('[data-setup-error-link]').addEventListener('click', (event) => {
  event.preventDefault();
  tokenInput.focus();
});

/** The status the display stream answers with this token (the stream is left at once). */
async function probe(value) {
  const aborter = new AbortController();
  try {
    const response = await fetch(streamUrl(value, null), { cache: 'no-store', signal: aborter.signal,
      headers: { Accept: 'text/event-stream' } });
    aborter.abort();
    return response.status;
  } catch (e) {
    return 0; // the network: try the stream anyway
  }
}

// ---- the stream -----------------------------------------------------------------------------

function streamUrl(value, from) {
  return '/api/v1/service-points/' + point + '/display/events?token=' + encodeURIComponent(value)
    + (from != null ? '&lastEventId=' + from : '');
}

function start(value, withSound) {
  token = value;
  sound = withSound;
  setup.hidden = true;
  live.hidden = false;
  document.body.classList.add('screen-running');
  lastSign = Date.now();
  connect();
}

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
  const es = new EventSource(streamUrl(token, lastId));
  source = es;
  es.addEventListener('snapshot', (e) => { alive(); snapshot(JSON.parse(e.data)); });
  es.addEventListener('heartbeat', alive);
  es.addEventListener('waiting', (e) => { alive(); summary(JSON.parse(e.data)); });
  TYPES.forEach((type) => es.addEventListener(type, (e) => received(type, Number(e.lastEventId), JSON.parse(e.data))));
  es.addEventListener('error', () => {
    if (es === source && es.readyState === EventSource.CLOSED) {
      gaveUp();
    }
  });
}

/** EventSource stops for good after an answer that is not a stream (401 when revoked, a proxy's 502). */
async function gaveUp() {
  close();
  const status = await probe(token);
  if (status === 401 || status === 404) {
    revoked();
  } else {
    retryLater();
  }
}

function retryLater() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => { if (token) connect(); }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 30000);
}

function revoked() {
  token = null;
  localStorage.removeItem(storeKey);
  calls = [];
  waiting = [];
  render();
  showSetup(true);
}

function alive() {
  lastSign = Date.now();
  retryDelay = 1000;
  clearTimeout(retryTimer); // the stream works: no new one is needed
  retryTimer = null;
  if (stale) {
    stale = false;
    staleBox.hidden = true;
    root.dataset.connection = 'live';
  }
}

// the watchdog: no heartbeat nor event for 2.5 intervals means the screen no longer knows
setInterval(check, 500);
document.addEventListener('visibilitychange', () => { if (!document.hidden) check(); });

function check() {
  if (!token || Date.now() - lastSign <= staleAfterMs) {
    return;
  }
  if (!stale) {
    stale = true;
    staleBox.hidden = false;
    root.dataset.connection = 'stale';
  }
  if (!retryTimer) {
    retryLater(); // a new stream from the last event applied; the dead one is closed
    lastSign = Date.now() - staleAfterMs + retryDelay; // check again after the next attempt
  }
}

function snapshot(data) {
  lastId = data.lastEventId;
  services = new Map((data.services || []).map((s) => [s.id, s]));
  waiting = data.waiting || [];
  calls = (data.calls || []).slice(0, MAX_CALLS).map((c) => ({ number: c.number, counter: c.counterName }));
  render();
}

// The waiting per service, read by the server after the point's changes (a frame of its own,
// without an id: it never moves lastId, and the server sends none older than this screen's snapshot).
function summary(data) {
  waiting = data.waiting || [];
  renderWaiting();
}

function received(type, id, data) {
  alive();
  if (lastId != null && id <= lastId) {
    return; // already applied: a replay overlapping what this screen saw
  }
  lastId = id;
  if ((type === 'ticket-called' || type === 'ticket-recalled') && data.ticket && data.ticket.counterName) {
    const call = { number: data.ticket.number, counter: data.ticket.counterName };
    calls = [call].concat(calls.filter((c) => c.number !== call.number)).slice(0, MAX_CALLS);
    announce(call);
  }
  render();
}

// ---- drawing (a fixed number of nodes, replaced, never added to without limit) -----------------

function render() {
  callsList.replaceChildren(...calls.map((call) => {
    const item = document.createElement('li');
    item.className = 'screen-call';
    const number = document.createElement('span');
    number.className = 'screen-number';
    number.textContent = call.number;
    const arrow = document.createElement('span');
    arrow.className = 'screen-arrow';
    arrow.setAttribute('aria-hidden', 'true');
    arrow.textContent = '→';
    const counter = document.createElement('span');
    counter.className = 'screen-counter';
    counter.textContent = call.counter;
    item.append(number, ' ', arrow, ' ', counter);
    return item;
  }));
  $('[data-calls-empty]').hidden = calls.length > 0;
  renderWaiting();
}

function renderWaiting() {
  const rows = waiting.filter((w) => w.channel === 'desk' && services.has(w.serviceId));
  waitingBody.replaceChildren(...rows.map((w) => {
    const service = services.get(w.serviceId);
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    const letter = document.createElement('span');
    letter.className = 'screen-letter';
    letter.textContent = service.letter;
    const en = document.createElement('span');
    en.lang = 'en';
    en.className = 'screen-en';
    en.textContent = service.nameEn;
    name.append(letter, ' ', service.nameSv, en);
    const count = document.createElement('td');
    count.className = 'screen-num';
    count.textContent = String(w.waiting);
    const estimate = document.createElement('td');
    estimate.className = 'screen-num';
    estimate.textContent = w.estimatedWaitMinutes == null ? waitingBody.dataset.noEstimate
      : waitingBody.dataset.minutes.replace('{0}', String(w.estimatedWaitMinutes));
    row.append(name, count, estimate);
    return row;
  }));
}

const clockFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, hour: '2-digit', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long' });
function tick() {
  const now = new Date();
  $('[data-clock]').textContent = clockFormat.format(now);
  $('[data-date]').textContent = dateFormat.format(now);
}
tick();
setInterval(tick, 1000);

// ---- announcements: one at a time, a chime then speech ----------------------------------------

const queue = [];
let speaking = false;
let audio = null;

function unlockSound() {
  try {
    audio = audio || new AudioContext();
    audio.resume();
    if ('speechSynthesis' in window) {
      speechSynthesis.getVoices(); // the list fills in later; asking now starts loading it
    }
  } catch (e) {
    audio = null;
  }
}

/** "A017" and "Lucka 3" as people say them: "A 17, Lucka 3". */
function spoken(call) {
  const match = /^([A-Za-zÅÄÖåäö]+)0*(\d+)$/.exec(call.number);
  return (match ? match[1] + ' ' + match[2] : call.number) + ', ' + call.counter;
}

function announce(call) {
  queue.push(call);
  if (queue.length > MAX_QUEUED) {
    queue.shift(); // a screen behind by more than this announces the newest; all are on screen anyway
  }
  root.dataset.announcementsQueued = String(queue.length);
  next();
}

async function next() {
  if (speaking || queue.length === 0) {
    return;
  }
  speaking = true;
  const call = queue.shift();
  const text = spoken(call);
  announced += 1;
  root.dataset.announcements = String(announced);
  root.dataset.lastAnnouncement = text;
  root.dataset.announcementsQueued = String(queue.length);
  announceBox.textContent = call.number + ' → ' + call.counter;
  try {
    if (sound) {
      await chime();
      await say(text);
    } else {
      await wait(300);
    }
  } finally {
    speaking = false;
    next();
  }
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Two soft tones (made here, no sound file), about a second in all. */
function chime() {
  if (!audio) {
    return Promise.resolve();
  }
  const t = audio.currentTime + 0.05;
  [[660, 0], [880, 0.35]].forEach(([frequency, offset]) => {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, t + offset);
    gain.gain.exponentialRampToValueAtTime(0.4, t + offset + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + offset + 0.6);
    tone.connect(gain).connect(audio.destination);
    tone.start(t + offset);
    tone.stop(t + offset + 0.65);
  });
  return wait(1000);
}

function swedishVoice() {
  if (!('speechSynthesis' in window)) {
    return null;
  }
  return speechSynthesis.getVoices().find((v) => v.lang && v.lang.toLowerCase().startsWith('sv')) || null;
}

/** Speaks where there is a Swedish voice; ends when the speech ends (or after 8 s, if it never says). */
function say(text) {
  const voice = swedishVoice();
  if (!voice) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    speechSynthesis.cancel(); // a stuck earlier utterance would silence every later one
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    const done = () => { clearTimeout(timer); resolve(); };
    const timer = setTimeout(done, 8000);
    utterance.onend = done;
    utterance.onerror = done;
    speechSynthesis.speak(utterance);
  }).then(() => wait(400));
}

// ---- start --------------------------------------------------------------------------------

const remembered = saved();
if (remembered && remembered.token) {
  start(remembered.token, !!remembered.sound);
  if (remembered.sound) {
    // after a reload there was no gesture: the first key press or click turns sound back on
    const again = () => { unlockSound(); document.removeEventListener('keydown', again); document.removeEventListener('click', again); };
    document.addEventListener('keydown', again);
    document.addEventListener('click', again);
  }
} else {
  showSetup(false);
}

// for tests and the curious: apply an event as if it came from the stream (no network, same path)
window.servicepunktScreen = { receive: received, state: () => ({ lastId, calls: calls.length, queued: queue.length, stale, retryDelay, ready: source ? source.readyState : -1, retrying: !!retryTimer }) };
