/* The personal centre: sandbox top-up (with an Idempotency-Key per click), the sandbox bank account and
   cash-out (提现: one Idempotency-Key per amount, kept until the server answers, so a retry after a lost
   answer moves the money once), then the wallet figures, the money movements and the cash-outs are re-read
   from the JSON API without a reload. */
(function () {
  'use strict';
  var P = window.Paimai;

  function renderWallet(wallet) {
    var figures = { available: wallet.available, frozen: wallet.frozen, total: wallet.available + wallet.frozen };
    Object.keys(figures).forEach(function (name) {
      var node = document.querySelector('[data-wallet="' + name + '"]');
      if (node) { node.textContent = P.yuan(figures[name]); }
    });
    var available = document.querySelector('[data-cashout-available]');
    if (available) { available.textContent = P.yuan(wallet.available); }
  }

  function renderCashOuts(items) {
    var body = document.querySelector('[data-cash-outs]');
    if (!body) { return; }
    body.textContent = '';
    if (!items.length) {
      var empty = P.el('tr', 'empty-row');
      var cell = P.el('td', null, P.t('cash_outs_empty'));
      cell.setAttribute('colspan', '4');
      empty.appendChild(cell);
      body.appendChild(empty);
      return;
    }
    items.forEach(function (item) {
      var tr = P.el('tr');
      var when = P.el('td');
      when.appendChild(P.stamp(item.created_at, true));
      tr.appendChild(when);
      tr.appendChild(P.el('td', 'num minus', P.yuan(item.amount)));
      tr.appendChild(P.el('td', null, item.bank_name + ' ' + item.number_masked.slice(-4)));
      tr.appendChild(P.el('td', null, P.t('cash_out_status_' + item.status)));
      body.appendChild(tr);
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
    return Promise.all([
      P.api('GET', '/me/wallet'), P.api('GET', '/me/ledger?limit=50'), P.api('GET', '/me/cash-outs?limit=50')
    ]).then(function (results) {
      if (results[0].ok) { renderWallet(results[0].data); }
      if (results[1].ok) { renderLedger(results[1].data.items || []); }
      if (results[2].ok) { renderCashOuts(results[2].data.items || []); }
    });
  }

  function setUpBankAccount() {
    var form = document.getElementById('bank-form');
    if (!form) { return; }
    var message = form.querySelector('[data-message]');
    var button = form.querySelector('button[type="submit"]');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (button.disabled) { return; }
      var body = {
        bank_name: form.querySelector('input[name="bank_name"]').value,
        holder: form.querySelector('input[name="holder"]').value,
        account_number: form.querySelector('input[name="account_number"]').value
      };
      P.say(message, '', 'info');
      button.disabled = true;
      P.api('PUT', '/me/bank-account', body).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          P.say(message, P.errorText(result.data), 'error');
          return;
        }
        var account = result.data.bank_account;
        var current = form.querySelector('[data-bank-current]');
        form.querySelector('[data-bank-text]').textContent =
          account.bank_name + ' · ' + account.holder + ' · **** ' + account.last4;
        P.show(current, true);
        var number = form.querySelector('input[name="account_number"]');
        number.value = '';
        number.placeholder = '**** ' + account.last4;
        P.say(message, P.t('bank_saved'), 'success');
      });
    });
  }

  function setUpCashOut() {
    var form = document.getElementById('cashout-form');
    if (!form) { return; }
    var input = form.querySelector('input[name="amount"]');
    var message = form.querySelector('[data-message]');
    var button = form.querySelector('button[type="submit"]');
    var pending = null; // {amount, key}: a request whose answer never came is retried with its key
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (button.disabled) { return; }
      var amount = P.parseYuan(input.value); // text to integer fen, no floating point
      if (amount === null) {
        P.say(message, P.t('amount_invalid'), 'error');
        return;
      }
      if (!pending || pending.amount !== amount) { pending = { amount: amount, key: P.uuid() }; }
      P.say(message, '', 'info');
      button.disabled = true;
      P.api('POST', '/me/cash-outs', { amount: amount }, { key: pending.key }).then(function (result) {
        button.disabled = false;
        if (result.status !== 0) { pending = null; } // answered: the next click is a new request
        if (!result.ok) {
          P.say(message, P.errorText(result.data), 'error');
          return;
        }
        renderWallet(result.data.wallet);
        P.say(message, P.t('cash_out_done') + ' −' + P.yuan(amount), 'success');
        input.value = '';
        reload();
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setUpBankAccount();
    setUpCashOut();
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
