/* The personal centre: sandbox top-up (with an Idempotency-Key per click), then the wallet figures and
   the money movements are re-read from the JSON API without a reload. */
(function () {
  'use strict';
  var P = window.Paimai;

  function renderWallet(wallet) {
    var figures = { available: wallet.available, frozen: wallet.frozen, total: wallet.available + wallet.frozen };
    Object.keys(figures).forEach(function (name) {
      var node = document.querySelector('[data-wallet="' + name + '"]');
      if (node) { node.textContent = P.yuan(figures[name]); }
    });
  }

  function entryName(kind) {
    var key = 'entry_' + kind;
    var word = P.t(key);
    return word === key ? kind : word;
  }

  function renderLedger(lines) {
    var body = document.querySelector('[data-ledger]');
    if (!body) { return; }
    body.textContent = '';
    if (!lines.length) {
      var empty = P.el('tr', 'empty-row');
      var cell = P.el('td', null, P.t('ledger_empty'));
      cell.setAttribute('colspan', '5');
      empty.appendChild(cell);
      body.appendChild(empty);
      return;
    }
    lines.forEach(function (line) {
      var tr = P.el('tr');
      var when = P.el('td');
      when.appendChild(P.stamp(line.created_at, true));
      tr.appendChild(when);
      tr.appendChild(P.el('td', null, entryName(line.kind)));
      tr.appendChild(P.el('td', null, P.t('account_' + line.account)));
      tr.appendChild(P.el('td', 'num ' + (line.amount > 0 ? 'plus' : 'minus'), (line.amount > 0 ? '+' : '') + P.yuan(line.amount)));
      var lotCell = P.el('td');
      if (line.lot_id) {
        var link = P.el('a', null, '#' + line.lot_id);
        link.href = '/lots/' + line.lot_id;
        lotCell.appendChild(link);
      } else {
        lotCell.textContent = '—';
      }
      tr.appendChild(lotCell);
      body.appendChild(tr);
    });
  }

  function reload() {
    return Promise.all([P.api('GET', '/me/wallet'), P.api('GET', '/me/ledger?limit=50')]).then(function (results) {
      if (results[0].ok) { renderWallet(results[0].data); }
      if (results[1].ok) { renderLedger(results[1].data.items || []); }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('topup-form');
    if (!form) { return; }
    var input = form.querySelector('input[name="amount"]');
    var message = form.querySelector('[data-message]');
    var button = form.querySelector('button[type="submit"]');
    var chips = form.querySelectorAll('[data-quick]');
    for (var i = 0; i < chips.length; i++) {
      chips[i].addEventListener('click', function (event) {
        input.value = event.currentTarget.getAttribute('data-quick');
        for (var j = 0; j < chips.length; j++) { chips[j].classList.toggle('on', chips[j] === event.currentTarget); }
        input.focus();
      });
    }
    input.addEventListener('input', function () {
      for (var j = 0; j < chips.length; j++) { chips[j].classList.remove('on'); }
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (button.disabled) { return; }
      var amount = P.parseYuan(input.value);
      if (amount === null) {
        P.say(message, P.t('amount_invalid'), 'error');
        return;
      }
      P.say(message, '', 'info');
      button.disabled = true;
      P.api('POST', '/me/wallet/top-up', { amount: amount }, { idempotent: true }).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          P.say(message, P.errorText(result.data), 'error');
          return;
        }
        renderWallet(result.data);
        P.say(message, P.t('top_up_done') + ' +' + P.yuan(amount), 'success');
        input.value = '';
        for (var j = 0; j < chips.length; j++) { chips[j].classList.remove('on'); }
        reload();
      });
    });
  });
})();
