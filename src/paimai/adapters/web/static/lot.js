/* The live lot page. The server renders the first view; this script keeps the price, leader, countdown,
   extensions and bid record live from the lot's event stream (SSE), and drives the deposit button and
   the bid form through the JSON API. Every event carries the lot's sequence number: an event at or
   below what the page shows is ignored, and anything the page cannot apply from the event alone (a
   withdrawal, a close, an unknown type, a gap) makes it re-read the lot and its bid record. */
(function () {
  'use strict';
  var P = window.Paimai;

  var root, lotId, loggedIn;
  var lot = null;            // the latest lot JSON (null until the first fetch)
  var shownSeq = 0;          // the sequence number the page reflects
  var knownSeq = 0;          // the highest sequence number heard of
  var topSeqInRecord = 0;    // the newest record row the page shows, to mark new rows
  var source = null;
  var refreshTimer = null;
  var refreshing = false;
  var refreshAgain = false;
  var closingPoll = null;
  var amountDirty = false;
  var bids = null;           // the latest bid record (null until read)
  var hooks = { closeWithdrawal: function () {} };  // set by lot-withdrawal.js

  function $(selector) { return root.querySelector(selector); }
  function $all(selector) { return root.querySelectorAll(selector); }

  function setText(selector, text) {
    var nodes = $all(selector);
    for (var i = 0; i < nodes.length; i++) { nodes[i].textContent = text; }
  }

  function eventType(raw) {
    return String(raw || '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  }

  /* ---- rendering ------------------------------------------------------------------------------ */

  function flashPrice() {
    var price = $('[data-price]');
    if (!price) { return; }
    price.classList.remove('flash');
    void price.offsetWidth;
    price.classList.add('flash');
    window.setTimeout(function () { price.classList.remove('flash'); }, 700);
  }

  /* The price shown and its label ("start", "current" or "final") are the server's view of the lot; an
     event carries the new standing price, which the next read of the lot confirms. */
  function renderPrice(priceKind, amount) {
    setText('[data-price-label]', P.t('price_' + priceKind));
    var price = $('[data-price]');
    var text = P.yuan(amount);
    if (price && price.textContent !== text) {
      price.textContent = text;
      flashPrice();
    }
  }

  function renderEndsAt(endsAt) {
    var times = $all('[data-ends-at-text]');
    for (var i = 0; i < times.length; i++) {
      times[i].setAttribute('datetime', endsAt);
      times[i].textContent = P.bjt(endsAt);
    }
  }

  function renderTiming(status, startsAt, endsAt) {
    var box = $('[data-countdown-box]');
    if (!box) { return; }
    var label = box.querySelector('[data-countdown-label]');
    var value = box.querySelector('[data-countdown-value]');
    var bar = $('[data-status-bar]');
    if (bar) { bar.className = 'status-bar status-' + status; }
    if (status === 'live' || status === 'scheduled') {
      var target = status === 'live' ? endsAt : startsAt;
      box.setAttribute('data-countdown', '');
      box.setAttribute('data-status', status);
      box.setAttribute('data-target', target);
      if (label) { label.textContent = P.t(status === 'live' ? 'ends_in' : 'starts_in'); }
    } else {
      box.removeAttribute('data-countdown');
      box.removeAttribute('data-target');
      if (label) { label.textContent = P.t('status_' + status); }
      if (value) { value.textContent = ''; }
    }
    P.tick();
  }

  function renderStatus(status) {
    var before = root.getAttribute('data-status');
    if (before !== status && (before === 'live' || before === 'scheduled') && status !== 'live') {
      P.say(message(), '', 'info');  /* "bid placed" and the like say nothing once the lot has ended */
      hooks.closeWithdrawal();
    }
    root.setAttribute('data-status', status);
    var badges = $all('[data-status-badge]');
    for (var i = 0; i < badges.length; i++) {
      badges[i].className = 'badge status-' + status;
      badges[i].textContent = P.t('status_' + status);
    }
  }

  function renderReserve(data) {
    var cell = $('[data-reserve]');
    if (!cell) { return; }
    cell.textContent = '';
    if (!data.has_reserve) {
      cell.textContent = P.t('no_reserve');
      return;
    }
    cell.appendChild(document.createTextNode(P.t('has_reserve') + ' · '));
    cell.appendChild(P.el('span', data.reserve_met ? 'ok' : 'warn', P.t(data.reserve_met ? 'reserve_met' : 'reserve_not_met')));
  }

  function renderResult(data) {
    var box = $('[data-result]');
    if (!box) { return; }
    var ended = Boolean(data.ended);
    P.show(box, ended);
    setText('[data-result-text]', ended ? P.t('result_' + data.status) : '');
    P.show($('[data-winner]'), Boolean(data.winner_alias));
    setText('[data-winner-alias]', data.winner_alias || '');
  }

  function myAlias() {
    return (lot && lot.my_alias) || '';
  }

  /* Which parts of the action box show is the server's decision (the lot's `viewer.panels`): the page
     shows exactly those, so it never re-derives who may pay a deposit, bid or withdraw. */
  function renderPanels(data) {
    var viewer = data.viewer || { panels: [], leading: false, deposit_due: data.deposit };
    var shows = function (name) { return viewer.panels.indexOf(name) >= 0; };
    var panels = $all('[data-panel]');
    for (var i = 0; i < panels.length; i++) {
      P.show(panels[i], shows(panels[i].getAttribute('data-panel')));
    }
    var leading = Boolean(viewer.leading);
    setText('[data-my-alias]', data.my_alias || '');
    setText('[data-suspended-reason]', data.suspended_reason || '');
    var depositButton = $('[data-deposit]');
    if (depositButton && !depositButton.disabled) {
      depositButton.textContent = P.t(shows('deposit_short') ? 'deposit_topup_cta' : 'deposit_cta') + ' ' +
        P.yuan(viewer.deposit_due);
    }
    var orderLink = $('[data-order-link]');
    if (orderLink && data.my_order_id) { orderLink.setAttribute('href', '/orders/' + data.my_order_id); }
    if (!shows('withdraw')) { hooks.closeWithdrawal(); }

    P.show($('[data-leader-note]'), leading);
    P.show($('[data-amount-field]'), !leading);
    P.show($('[data-proxy-check]'), !leading);
    var toggle = $('[data-proxy-toggle]');
    P.show($('[data-proxy-field]'), leading || Boolean(toggle && toggle.checked));
    var submit = $('[data-bid-submit]');
    if (submit && !submit.disabled) {
      submit.textContent = submit.getAttribute(leading ? 'data-label-raise' : 'data-label-bid');
    }
    setText('[data-next-valid]', P.yuan(data.next_valid_amount));
    var amount = $('#bid-amount');
    if (amount && document.activeElement !== amount) {
      var typed = P.parseYuan(amount.value);
      if (!amountDirty || typed === null || typed < data.next_valid_amount) {
        amount.value = P.yuanPlain(data.next_valid_amount);
        amountDirty = false;
      }
    }
    var max = $('#bid-max');
    if (max) { max.placeholder = P.yuanPlain(data.suggested_max_amount); }
  }

  function renderFacts(data) {
    setText('[data-leader]', data.leader_alias || P.t('no_bids_yet'));
    setText('[data-bid-count]', String(data.bid_count));
    if (data.bidder_count !== undefined) { setText('[data-bidder-count]', String(data.bidder_count)); }
    setText('[data-extensions]', String(data.extensions));
    P.show($('[data-scheduled-end]'), data.extensions > 0);
  }

  function renderLot(data) {
    lot = data;
    shownSeq = Math.max(shownSeq, data.seq);
    knownSeq = Math.max(knownSeq, data.seq);
    root.setAttribute('data-seq', String(shownSeq));
    renderStatus(data.status);
    renderPrice(data.price_kind, data.display_price);
    renderFacts(data);
    renderEndsAt(data.ends_at);
    renderTiming(data.status, data.starts_at, data.ends_at);
    renderReserve(data);
    renderResult(data);
    renderPanels(data);
    watchClosing();
  }

  function recordRow(bid, mine, number) {
    var tr = P.el('tr', 'row-' + bid.status + (mine ? ' mine' : '') + (bid.seq > topSeqInRecord ? ' fresh' : ''));
    tr.setAttribute('data-seq', String(bid.seq));  /* the lot's sequence number stays on the row for the record */
    var num = P.el('td', null, '#' + number);      /* bids are shown numbered 1..n in the order they were placed */
    num.setAttribute('title', 'seq ' + bid.seq);
    tr.appendChild(num);
    var alias = P.el('td', 'alias', bid.alias);
    if (mine) {
      alias.appendChild(document.createTextNode(' '));
      alias.appendChild(P.el('span', 'me-tag', P.t('me_tag')));
    }
    if (bid.priority) {  /* a priority buyer's row (优先购买权人): their alias, marked */
      alias.appendChild(document.createTextNode(' '));
      alias.appendChild(P.el('span', 'priority-tag', P.t('priority_tag')));
    }
    tr.appendChild(alias);
    tr.appendChild(P.el('td', 'num amount', P.yuan(bid.amount)));
    var kind = P.el('td', 'col-type');
    if (bid.is_proxy) { kind.appendChild(P.el('span', 'proxy-tag', P.t('bid_proxy'))); } else { kind.textContent = P.t('bid_manual'); }
    tr.appendChild(kind);
    var status = P.el('td');
    status.appendChild(P.el('span', 'bid-status bid-' + bid.status, P.t('bid_' + bid.status)));
    if (bid.is_proxy) {  /* on a phone the type column is hidden and the proxy mark rides here */
      status.appendChild(document.createTextNode(' '));
      status.appendChild(P.el('span', 'proxy-tag proxy-mini', P.t('bid_proxy')));
    }
    tr.appendChild(status);
    var when = P.el('td');
    when.appendChild(P.stamp(bid.created_at, false));
    tr.appendChild(when);
    return tr;
  }

  function renderRecord(bids) {
    var body = $('[data-record]');
    if (!body) { return; }
    var alias = myAlias();
    var fragment = document.createDocumentFragment();
    var top = 0;
    var seqs = bids.map(function (b) { return b.seq; }).sort(function (a, b) { return a - b; });
    for (var i = 0; i < bids.length; i++) {
      fragment.appendChild(recordRow(bids[i], Boolean(alias) && bids[i].alias === alias, seqs.indexOf(bids[i].seq) + 1));
      top = Math.max(top, bids[i].seq);
    }
    if (!bids.length) {
      var empty = P.el('tr', 'empty-row');
      var cell = P.el('td', null, P.t('record_empty'));
      cell.setAttribute('colspan', '6');
      empty.appendChild(cell);
      fragment.appendChild(empty);
    }
    body.textContent = '';
    body.appendChild(fragment);
    topSeqInRecord = Math.max(topSeqInRecord, top);
    setText('[data-record-count]', String(bids.length));
  }

  /* ---- reading the lot ------------------------------------------------------------------------ */

  function refresh() {
    if (refreshing) { refreshAgain = true; return; }
    refreshing = true;
    refreshAgain = false;
    var sent = Date.now();
    Promise.all([P.api('GET', '/lots/' + lotId), P.api('GET', '/lots/' + lotId + '/bids')]).then(function (results) {
      refreshing = false;
      var lotResult = results[0];
      var bidsResult = results[1];
      var stale = lotResult.ok && lotResult.data && lotResult.data.seq < shownSeq;
      if (stale) {
        /* An older snapshot than what the events already showed: read again rather than step back. */
        scheduleRefresh(150);
        return;
      }
      if (lotResult.ok && lotResult.data) {
        if (lotResult.data.server_time) {
          var server = Date.parse(lotResult.data.server_time);
          if (!isNaN(server)) { P.clock.offset = server - (sent + Date.now()) / 2; }
        }
        renderLot(lotResult.data);
      }
      if (bidsResult.ok && bidsResult.data) {
        bids = bidsResult.data.items || [];
        renderRecord(bids);
        if (lot) { renderPanels(lot); }
      }
      if (refreshAgain || (lot && lot.seq < knownSeq)) { scheduleRefresh(150); }
    });
  }

  function scheduleRefresh(delay) {
    if (refreshTimer) { return; }
    refreshTimer = window.setTimeout(function () {
      refreshTimer = null;
      refresh();
    }, delay === undefined ? 120 : delay);
  }

  /* After the countdown reaches zero the close comes as an event; poll too in case the stream is down. */
  function watchClosing() {
    var due = lot && lot.status === 'live' && Date.parse(lot.ends_at) <= P.clock.now();
    if (due && !closingPoll) {
      closingPoll = window.setInterval(refresh, 3000);
    } else if (!due && closingPoll) {
      window.clearInterval(closingPoll);
      closingPoll = null;
    }
  }

  /* ---- the event stream ----------------------------------------------------------------------- */

  function applyEvent(payload) {
    var seq = Number(payload.seq);
    if (!isFinite(seq) || seq <= shownSeq) { return; }
    var gap = seq > shownSeq + 1;
    knownSeq = Math.max(knownSeq, seq);
    var type = eventType(payload.type);
    if (!gap && lot) {
      if (type === 'bid_placed') {
        lot.current_price = payload.current_price;
        lot.leader_alias = payload.leader_alias;
        lot.bid_count = payload.bid_count;
        lot.ends_at = payload.ends_at;
        renderPrice('current', payload.current_price);
        renderFacts(lot);
        renderEndsAt(lot.ends_at);
        renderTiming(lot.status, lot.starts_at, lot.ends_at);
      } else if (type === 'auction_extended') {
        lot.ends_at = payload.ends_at;
        lot.extensions = payload.extensions;
        renderFacts(lot);
        renderEndsAt(lot.ends_at);
        renderTiming(lot.status, lot.starts_at, lot.ends_at);
      } else if (type === 'bid_withdrawn') {
        lot.current_price = payload.current_price;
        lot.leader_alias = payload.leader_alias;
        lot.bid_count = payload.bid_count;
        if (payload.current_price === null) {
          renderPrice('start', lot.start_price);
        } else {
          renderPrice('current', payload.current_price);
        }
        renderFacts(lot);
      } else if (type === 'lot_closed') {
        lot.status = payload.status;
        lot.ended = true;
        lot.final_price = payload.final_price;
        lot.winner_alias = payload.winner_alias;
        renderStatus(lot.status);
        if (payload.final_price !== null && payload.final_price !== undefined) { renderPrice('final', payload.final_price); }
        renderTiming(lot.status, lot.starts_at, lot.ends_at);
        renderResult(lot);
      }
      shownSeq = seq;
      root.setAttribute('data-seq', String(shownSeq));
    }
    /* The record's statuses, the next valid amount and whether I lead come from the server. */
    scheduleRefresh();
  }

  function setLive(on) {
    var indicator = $('[data-live-indicator]');
    if (!indicator) { return; }
    indicator.hidden = false;
    indicator.classList.toggle('off', !on);
    indicator.textContent = P.t(on ? 'live_on' : 'live_off');
  }

  function connect() {
    if (!window.EventSource) { return; }
    if (source) { source.close(); }
    var url = '/api/v1/lots/' + lotId + '/events?last_event_id=' + shownSeq;
    source = new EventSource(url);
    var failures = 0;
    source.onopen = function () {
      setLive(true);
      if (failures) { scheduleRefresh(0); }
      failures = 0;
    };
    source.onmessage = function (message) {
      var payload;
      try { payload = JSON.parse(message.data); } catch (e) { return; }
      applyEvent(payload);
    };
    source.onerror = function () {
      failures += 1;
      setLive(false);
      if (source.readyState === EventSource.CLOSED) {
        /* The browser gave up (e.g. the server answered with an error): start again a little later. */
        window.setTimeout(connect, 3000);
      }
    };
  }

  /* ---- actions -------------------------------------------------------------------------------- */

  function message() { return $('[data-message]'); }

  function working(button, on) {
    if (!button) { return; }
    if (on) {
      button.setAttribute('data-idle-label', button.textContent);
      button.textContent = P.t('working');
      button.disabled = true;
    } else {
      button.disabled = false;
      button.textContent = button.getAttribute('data-idle-label') || button.textContent;
    }
  }

  function sayError(data) {
    var box = message();
    P.say(box, P.errorText(data), 'error');
    var code = data && data.error && data.error.code;
    if (code === 'INSUFFICIENT_FUNDS' && box) {
      box.appendChild(document.createTextNode(' '));
      var link = P.el('a', 'link', P.t('go_top_up') + ' →');
      link.href = '/me#wallet';
      box.appendChild(link);
    }
  }

  /* A judicial lot's notices are accepted first (the NOTICE panel shows while they are not): the box ticked,
     the acceptance recorded, then the deposit. */
  function acceptNotice() {
    var panel = $('[data-panel="notice"]');
    if (!panel || panel.hidden) { return Promise.resolve({ ok: true }); }
    var box = $('[data-notice-accept]');
    if (!box || !box.checked) { return Promise.resolve({ ok: false, unticked: true }); }
    return P.api('POST', '/lots/' + lotId + '/notice-acceptance');
  }

  function payDeposit(event) {
    var button = event.currentTarget;
    P.say(message(), '', 'info');
    working(button, true);
    acceptNotice().then(function (accepted) {
      if (!accepted.ok) { return accepted; }
      return P.api('POST', '/lots/' + lotId + '/deposit', undefined, { idempotent: true });
    }).then(function (result) {
      working(button, false);
      if (result.unticked) { P.say(message(), P.t('notice_accept_first'), 'error'); return; }
      if (result.ok) {
        P.say(message(), P.t('deposit_done'), 'success');
        if (lot) {
          lot.my_deposit = { amount: result.data.amount, status: result.data.status };
          lot.my_alias = result.data.alias;
          renderPanels(lot);
        }
        refresh();
      } else {
        sayError(result.data);
      }
    });
  }

  function step(event) {
    var input = $('#bid-amount');
    if (!input || !lot) { return; }
    var direction = Number(event.currentTarget.getAttribute('data-step'));
    var value = P.parseYuan(input.value);
    if (value === null) { value = lot.next_valid_amount; }
    value += direction * lot.increment;
    if (value < lot.next_valid_amount) { value = lot.next_valid_amount; }
    input.value = P.yuanPlain(value);
    amountDirty = true;
  }

  function submitBid(event) {
    event.preventDefault();
    if (!lot) { return; }
    var form = event.currentTarget;
    var button = form.querySelector('[data-bid-submit]');
    if (button && button.disabled) { return; }
    var leading = Boolean(lot.viewer && lot.viewer.leading);
    var useProxy = leading || Boolean(form.querySelector('[data-proxy-toggle]').checked);
    var amount = leading ? (lot.current_price || lot.next_valid_amount) : P.parseYuan(form.querySelector('#bid-amount').value);
    var body = { amount: amount };
    if (amount === null) {
      P.say(message(), P.t('amount_invalid'), 'error');
      return;
    }
    if (useProxy) {
      var max = P.parseYuan(form.querySelector('#bid-max').value);
      if (max === null) {
        P.say(message(), P.t('amount_invalid'), 'error');
        return;
      }
      if (!leading && max < amount) {
        P.say(message(), P.t('max_below_amount'), 'error');
        return;
      }
      body.max_amount = max;
    }
    P.say(message(), '', 'info');
    working(button, true);
    P.api('POST', '/lots/' + lotId + '/bids', body, { idempotent: true }).then(function (result) {
      working(button, false);
      if (result.ok) {
        var data = result.data;
        P.say(message(), P.t(leading ? 'max_raised' : (data.leading ? 'bid_placed' : 'bid_placed_outbid')), 'success');
        amountDirty = false;
        var max = form.querySelector('#bid-max');
        if (max) { max.value = ''; }
        if (lot && data.seq > shownSeq) {
          knownSeq = Math.max(knownSeq, data.seq);
          lot.current_price = data.current_price;
          lot.leader_alias = data.leader;
          lot.ends_at = data.ends_at;
          lot.extensions = data.extensions;
          lot.i_am_leader = data.leading;
          if (lot.viewer) { lot.viewer.leading = data.leading; }
          renderPrice('current', data.current_price);
          renderFacts(lot);
        }
        refresh();
      } else {
        sayError(result.data);
        var error = result.data && result.data.error;
        if (error && typeof error.next_valid === 'number' && lot) {
          lot.next_valid_amount = error.next_valid;
          amountDirty = false;
          renderPanels(lot);
        }
        refresh();
      }
    });
  }

  /* ---- start ---------------------------------------------------------------------------------- */

  document.addEventListener('DOMContentLoaded', function () {
    root = document.getElementById('lot');
    if (!root) { return; }
    lotId = root.getAttribute('data-lot-id');
    loggedIn = root.getAttribute('data-logged-in') === 'true';
    shownSeq = Number(root.getAttribute('data-seq')) || 0;
    knownSeq = shownSeq;
    topSeqInRecord = shownSeq;  // record rows above the rendered sequence number are new: highlight them
    /* What lot-withdrawal.js (the withdrawal confirmation and the watch button) shares with this page. */
    window.PaimaiLot = {
      root: root, lotId: lotId, hooks: hooks, $: $, $all: $all, setText: setText,
      message: message, sayError: sayError, working: working, refresh: refresh
    };

    var deposit = $('[data-deposit]');
    if (deposit) { deposit.addEventListener('click', payDeposit); }
    var form = document.getElementById('bid-form');
    if (form) { form.addEventListener('submit', submitBid); }
    var steps = $all('[data-step]');
    for (var j = 0; j < steps.length; j++) { steps[j].addEventListener('click', step); }
    var amount = $('#bid-amount');
    if (amount) { amount.addEventListener('input', function () { amountDirty = true; }); }
    var toggle = $('[data-proxy-toggle]');
    if (toggle) {
      toggle.addEventListener('change', function () {
        P.show($('[data-proxy-field]'), toggle.checked || Boolean(lot && lot.viewer && lot.viewer.leading));
      });
    }

    refresh();
    connect();
    window.setInterval(watchClosing, 1000);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible') { scheduleRefresh(0); }
    });
  });
})();
