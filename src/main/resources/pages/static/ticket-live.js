// The live ticket page: follows the ticket's event stream with the browser's own EventSource and
// keeps the page's state in step. The page already shows the state at load (and works without this
// script); this adds: updates as they happen, one short sentence in the status region when the
// place changes, "your turn" in the alert region (with sound and vibration once switched on), a
// watchdog on the stream's named heartbeat, "reconnecting …" over the last known state when the
// stream is silent or drops, our own reconnection (with the last event id) when EventSource gives
// up, and a fresh look when the phone wakes up.
const root = document.querySelector('[data-ticket-live]');
if (root) {
  follow(root);
}

function follow(root) {
  const $ = (selector) => root.querySelector(selector);
  const words = $('[data-words]').dataset;
  const t = (key, value) => (words[`t${key}`] || '').replace('{0}', value ?? '');
  const lang = root.dataset.lang;
  const zone = root.dataset.zone;
  const heartbeatMs = Number(root.dataset.heartbeatMs) || 15000;
  const staleAfterMs = heartbeatMs * 2.5;
  const video = root.hasAttribute('data-video');

  let state = JSON.parse(root.dataset.state);
  let lastEventId = null;
  let source = null;
  let lastHeard = Date.now();
  let lastUpdated = new Date();
  let stale = false;
  let retryMs = 2000;
  let retryTimer = null;
  let sound = null;

  function hhmm(date) {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date);
    const part = (type) => parts.find((p) => p.type === type).value;
    return part('hour') + (lang === 'sv' ? '.' : ':') + part('minute');
  }

  function stateText(s) {
    switch (s.status) {
      case 'waiting': {
        const place = s.position == null ? t('WaitingNoPosition')
          : s.position === 1 ? t('PositionFirst') : t('Position', s.position);
        return video ? `${t('VideoWaiting')} ${place}` : place;
      }
      case 'called': return video ? t('TurnVideo') : t('Turn', s.counterName);
      case 'serving': return t('Serving');
      case 'done': return t('Done');
      case 'no_show': return t('NoShow');
      case 'expired': return t('Expired');
      default: return t('Cancelled');
    }
  }

  function say(region, text) {
    // emptied first, so that the same sentence said twice (a recall) is announced again
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 100);
  }

  function render(next) {
    const before = state;
    state = next;
    lastUpdated = new Date();
    $('[data-state-text]').textContent = stateText(next);
    const wait = $('[data-wait-text]');
    const waiting = next.status === 'waiting';
    wait.hidden = !waiting;
    wait.textContent = !waiting ? '' : next.estimatedWaitMinutes == null ? t('WaitUnknown')
      : next.estimatedWaitMinutes === 0 ? t('WaitSoon') : t('Wait', next.estimatedWaitMinutes);
    $('[data-state-box]').classList.toggle('ticket-state-turn', next.status === 'called');
    const join = $('[data-video-join]');
    if (next.videoLink) {
      $('[data-video-link]').href = next.videoLink;
    }
    join.hidden = !next.videoLink;
    const leave = $('[data-leave]');
    if (leave) {
      leave.hidden = !waiting;
    }
    $('[data-updated]').textContent = t('Updated', hhmm(lastUpdated));

    const called = next.status === 'called'
      && (before.status !== 'called' || (next.recalls || 0) > (before.recalls || 0));
    if (called) {
      say($('[data-alert]'), stateText(next));
      signal();
    } else if (waiting && before.status === 'waiting' && next.position !== before.position && next.position != null) {
      say($('[data-announce]'), next.position === 1 ? t('PositionFirst') : t('AnnouncePosition', next.position));
    } else if (next.status !== before.status) {
      say($('[data-announce]'), stateText(next));
    }
  }

  function setStale(on) {
    stale = on;
    const banner = $('[data-stale]');
    banner.hidden = !on;
    banner.textContent = on ? t('Stale', hhmm(lastUpdated)) : '';
    $('[data-updated]').hidden = on; // the banner says when, once
    root.classList.toggle('ticket-is-stale', on);
  }

  function heard() {
    lastHeard = Date.now();
    retryMs = 2000;
    if (stale) {
      setStale(false);
    }
  }

  function onEvent(event) {
    if (event.lastEventId) {
      lastEventId = event.lastEventId;
    }
    heard();
    render(JSON.parse(event.data));
  }

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (source) {
      source.close();
    }
    let url = root.dataset.events;
    if (lastEventId) {
      url += `&lastEventId=${encodeURIComponent(lastEventId)}`;
    }
    source = new EventSource(url);
    source.addEventListener('open', heard);
    source.addEventListener('snapshot', onEvent);
    source.addEventListener('ticket', onEvent);
    source.addEventListener('heartbeat', heard);
    source.addEventListener('error', () => {
      setStale(true);
      if (source.readyState === EventSource.CLOSED) {
        reconnectLater(); // EventSource has given up (a 502 from a proxy, a 429): try again ourselves
      }
    });
  }

  function reconnectLater() {
    if (retryTimer) {
      return;
    }
    const delay = retryMs + Math.random() * 1000;
    retryMs = Math.min(retryMs * 2, 30000);
    retryTimer = setTimeout(connect, delay);
  }

  // the watchdog: no heartbeat or event for 2.5 intervals means the stream is dead, however it looks
  setInterval(() => {
    if (Date.now() - lastHeard > staleAfterMs) {
      setStale(true);
      lastHeard = Date.now(); // one reconnection per silent period
      connect();
    }
  }, 1000);

  // a phone that slept: look again at once
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible'
      && (stale || !source || source.readyState !== EventSource.OPEN || Date.now() - lastHeard > heartbeatMs)) {
      connect();
    }
  });
  window.addEventListener('online', () => connect());

  // sound and vibration: browsers allow them only after a gesture, so a button switches them on
  const button = $('[data-sound]');
  const Audio = window.AudioContext || window.webkitAudioContext;
  if (button && (Audio || navigator.vibrate)) {
    button.hidden = false;
    button.addEventListener('click', () => {
      if (!sound && Audio) {
        sound = new Audio();
      }
      sound?.resume();
      button.setAttribute('aria-pressed', 'true');
      button.textContent = t('SoundIsOn');
      beep(1);
      navigator.vibrate?.(200);
    });
  }

  function beep(times) {
    if (!sound) {
      return;
    }
    for (let i = 0; i < times; i++) {
      const start = sound.currentTime + i * 0.45;
      const tone = sound.createOscillator();
      const gain = sound.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
      tone.connect(gain).connect(sound.destination);
      tone.start(start);
      tone.stop(start + 0.32);
    }
  }

  function signal() {
    if (button && button.getAttribute('aria-pressed') === 'true') {
      beep(3);
      navigator.vibrate?.([400, 150, 400, 150, 400]);
    }
  }

  const finished = ['done', 'no_show', 'expired', 'cancelled'];
  if (!finished.includes(state.status)) {
    connect();
  }
}
