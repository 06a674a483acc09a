/* The lot page's withdrawal confirmation (撤回出价 / 撤回竞拍: a preview, an explicit confirmation, then the
   API) and its watch button (关注). lot.js renders the page and shares its helpers as window.PaimaiLot;
   which of these buttons show is the server's decision (the lot's viewer.panels), applied by lot.js. */
(function () {
  'use strict';
  var P = window.Paimai;
  var L = null;              // window.PaimaiLot, once lot.js has started
  var lotId = null;
  var withdrawal = null;     // the open confirmation: {scope, option}

  function $(selector) { return L.$(selector); }
  function setText(selector, text) { L.setText(selector, text); }
  function message() { return L.message(); }
  function sayError(data) { L.sayError(data); }
  function working(button, on) { L.working(button, on); }
  function refresh() { L.refresh(); }

  /* ---- withdrawal (撤回出价 / 撤回竞拍): preview, explicit confirmation, then the API ------------------ */

  function closeWithdrawal() {
    withdrawal = null;
    if (L) { P.show($('[data-withdraw-confirm]'), false); }
  }

  function openWithdrawal(event) {
    var scope = event.currentTarget.getAttribute('data-withdraw');
    var button = event.currentTarget;
    P.say(message(), '', 'info');
    closeWithdrawal();
    button.disabled = true;
    P.api('GET', '/lots/' + lotId + '/withdrawal-preview').then(function (result) {
      button.disabled = false;
      if (!result.ok) { sayError(result.data); return; }
      var option = result.data.options && result.data.options[scope];
      if (!option) { refresh(); return; }
      if (!option.allowed) { sayError({ error: option.reason }); return; }
      withdrawal = { scope: scope, option: option };
      setText('[data-withdraw-title]', P.t('withdraw_title_' + scope));
      setText('[data-withdraw-explain]', P.t('withdraw_explain_' + scope));
      var rows = $('[data-withdraw-rows]');
      rows.textContent = '';
      option.bids.forEach(function (bid) {
        var line = P.el('span', 'withdraw-row', '#' + bid.seq + ' ' + P.yuan(bid.amount));
        if (bid.is_proxy) {
          line.appendChild(document.createTextNode(' '));
          line.appendChild(P.el('span', 'proxy-tag', P.t('bid_proxy')));
        }
        rows.appendChild(line);
      });
      setText('[data-withdraw-fee]', P.yuan(option.fee));
      P.show($('[data-withdraw-release-row]'), scope === 'auction');
      setText('[data-withdraw-release]', P.yuan(option.deposit_release));
      setText('[data-withdraw-price]', option.price_after === null ? P.t('back_to_start') : P.yuan(option.price_after));
      setText('[data-withdraw-leader]', option.leader_after
        ? option.leader_after + (option.you_lead_after ? ' (' + P.t('me_tag') + ')' : '') : P.t('no_bids_yet'));
      var quota = result.data.quota || { left: result.data.quota_left, limit: null };
      setText('[data-withdraw-quota]', quota.limit ? quota.left + ' / ' + quota.limit : String(quota.left));
      P.show($('[data-withdraw-confirm]'), true);
      var go = $('[data-withdraw-go]');
      if (go) { go.focus(); }
    });
  }

  function confirmWithdrawal(event) {
    if (!withdrawal) { return; }
    var button = event.currentTarget;
    var scope = withdrawal.scope;
    var path = '/lots/' + lotId + '/withdraw';
    if (scope === 'bid') {
      if (!withdrawal.option.bids.length) { closeWithdrawal(); return; }
      path = '/lots/' + lotId + '/bids/' + withdrawal.option.bids[0].id + '/withdraw';
    }
    working(button, true);
    P.api('POST', path, { confirm: true }, { idempotent: true }).then(function (result) {
      working(button, false);
      closeWithdrawal();
      if (result.ok) {
        var done = result.data.withdrawal || {};
        if (result.data.quota) { setText('[data-quota-left-panel]', String(result.data.quota.left)); }
        P.say(message(), P.t('withdrawn_done') + ' ' + P.t('withdrawal_fee') + ' ' + P.yuan(done.fee || 0), 'success');
      } else {
        sayError(result.data);
      }
      refresh();
    });
  }

  /* ---- 关注 (watchlist) ------------------------------------------------------------------------ */

  function toggleWatch(event) {
    var button = event.currentTarget;
    var on = button.getAttribute('aria-pressed') === 'true';
    button.disabled = true;
    P.api(on ? 'DELETE' : 'POST', '/lots/' + lotId + '/watch').then(function (result) {
      button.disabled = false;
      if (!result.ok) { sayError(result.data); return; }
      var watching = Boolean(result.data.watching);
      button.setAttribute('aria-pressed', watching ? 'true' : 'false');
      button.classList.toggle('on', watching);
      setText('[data-watch-label]', P.t(watching ? 'watching' : 'watch'));
      setText('[data-watchers]', String(result.data.watchers));
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    L = window.PaimaiLot;
    if (!L) { return; }
    lotId = L.lotId;
    L.hooks.closeWithdrawal = closeWithdrawal;
    var watchButton = $('[data-watch]');
    if (watchButton) { watchButton.addEventListener('click', toggleWatch); }
    var withdrawButtons = L.$all('[data-withdraw]');
    for (var k = 0; k < withdrawButtons.length; k++) { withdrawButtons[k].addEventListener('click', openWithdrawal); }
    var go = $('[data-withdraw-go]');
    if (go) { go.addEventListener('click', confirmWithdrawal); }
    var cancel = $('[data-withdraw-cancel]');
    if (cancel) { cancel.addEventListener('click', closeWithdrawal); }
  });
})();
