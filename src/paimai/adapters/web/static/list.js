/* The lot list stays current without a reload: every few seconds (while the tab is visible) it re-reads the
   same page of the JSON API and updates each card's price, bid count, status and end (after extensions). */
(function () {
  'use strict';
  var P = window.Paimai;
  var REFRESH_MS = 5000;

  function priceParts(lot) {
    return [P.t('price_' + lot.price_kind), lot.display_price];  /* the server's view: start, current or final */
  }

  function update(card, lot) {
    var price = card.querySelector('[data-card-price]');
    if (price) {
      var parts = priceParts(lot);
      var label = price.querySelector('.price-label');
      var amount = price.querySelector('.price');
      var text = P.yuan(parts[1]);
      if (label) { label.textContent = parts[0]; }
      if (amount && amount.textContent !== text) {
        amount.textContent = text;
        amount.classList.remove('flash');
        void amount.offsetWidth;
        amount.classList.add('flash');
        window.setTimeout(function () { amount.classList.remove('flash'); }, 900);
      }
    }
    var bids = card.querySelector('[data-card-bids]');
    if (bids) { bids.textContent = String(lot.bid_count); }
    var badge = card.querySelector('[data-status-badge]');
    if (badge && badge.getAttribute('data-status') !== lot.status) {
      badge.textContent = P.t('status_' + lot.status);
      badge.className = 'badge status-' + lot.status;
      badge.setAttribute('data-status', lot.status);
    }
    var timing = card.querySelector('.timing');
    var running = lot.status === 'live' || lot.status === 'scheduled';
    if (timing && !running) {
      timing.removeAttribute('data-countdown');
      timing.className = 'timing ' + (lot.status === 'suspended' ? 'suspended' : 'ended');
      timing.textContent = lot.status === 'suspended' ? P.t('status_suspended') : P.t('ended') + ' · ' + P.bjt(lot.ends_at, 'short');
    } else if (timing && !timing.hasAttribute('data-countdown')) {
      /* resumed after a suspension: the countdown comes back (P.tick fills it) */
      timing.className = 'timing';
      timing.textContent = '';
      timing.appendChild(P.el('span', '', P.t(lot.status === 'live' ? 'ends_in' : 'starts_in')));
      timing.appendChild(document.createTextNode(' '));
      var value = P.el('b', '', '');
      value.setAttribute('data-countdown-value', '');
      timing.appendChild(value);
      timing.setAttribute('data-countdown', '');
    }
    if (timing && running) {
      var target = lot.status === 'scheduled' ? lot.starts_at : lot.ends_at;
      if (target) { timing.setAttribute('data-target', target); }
      timing.setAttribute('data-status', lot.status);
    }
  }

  function refresh(grid) {
    if (document.hidden) { return; }
    var query = grid.getAttribute('data-query') || '';
    P.api('GET', '/lots' + (query ? '?' + query : '')).then(function (result) {
      if (!result.ok || !result.data || !result.data.items) { return; }
      for (var i = 0; i < result.data.items.length; i++) {
        var lot = result.data.items[i];
        var card = grid.querySelector('.lot-card[data-lot-id="' + lot.id + '"]');
        if (card) { update(card, lot); }
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var grid = document.querySelector('[data-lot-grid]');
    if (!grid || !P) { return; }
    window.setInterval(function () { refresh(grid); }, REFRESH_MS);
    document.addEventListener('visibilitychange', function () { refresh(grid); });
  });
})();
