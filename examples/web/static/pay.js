// The pay form with a gateway whose own script collects card and bank details in
// the browser (Stripe.js). The numbers go from this page to the gateway; the form
// posts only what the gateway made of them (its id). Then, if the bank must
// confirm, the pending page finishes it with the gateway's script.
(function () {
  "use strict";
  if (typeof Stripe !== "function") { return; }

  function fail(message) {
    var box = document.getElementById("gateway-error");
    if (box) { box.textContent = message; box.hidden = false; }
  }

  var form = document.getElementById("pay-form");
  if (form && form.dataset.gatewayKey) {
    var stripe = Stripe(form.dataset.gatewayKey);
    var card = stripe.elements().create("card");
    card.mount("#card-element");
    var made = document.getElementById("payment_method");
    var sending = false;
    form.addEventListener("submit", function (event) {
      var chosen = form.querySelector("input[name=method]:checked") ||
        form.querySelector("input[type=hidden][name=method]");
      var method = chosen ? chosen.value : "card";
      if (method !== "card" && method !== "bank") { return; }
      if (made.value) { return; }
      event.preventDefault();
      if (sending) { return; }
      sending = true;
      var pending = method === "card"
        ? stripe.createToken(card).then(function (r) {
            return r.error ? { error: r.error } : { id: r.token.id };
          })
        : stripe.createSource({
            type: "sepa_debit",
            sepa_debit: { iban: document.getElementById("iban").value.replace(/\s+/g, "") },
            currency: form.dataset.currency.toLowerCase(),
            owner: { name: document.getElementById("iban_holder").value }
          }).then(function (r) {
            return r.error ? { error: r.error } : { id: r.source.id };
          });
      pending.then(function (result) {
        sending = false;
        if (result.error) {
          fail(result.error.message || "The payment details were refused; check them and try again.");
          return;
        }
        made.value = result.id;
        form.submit();
      }, function () {
        sending = false;
        fail("The payment form could not reach the payment provider; try again.");
      });
    });
  }

  var setup = document.getElementById("setup-form");
  if (setup) {
    var saver = Stripe(setup.dataset.gatewayKey);
    var element = saver.elements().create("card");
    element.mount("#card-element");
    var target = document.getElementById("payment_method");
    setup.addEventListener("submit", function (event) {
      if (target.value) { return; }
      event.preventDefault();
      saver.confirmCardSetup(setup.dataset.clientSecret, { payment_method: { card: element } })
        .then(function (result) {
          if (result.error) {
            fail(result.error.message || "The card was not saved; check it and try again.");
            return;
          }
          target.value = result.setupIntent.id;
          setup.submit();
        });
    });
  }

  var confirm = document.getElementById("confirm-payment");
  if (confirm) {
    var gateway = Stripe(confirm.dataset.gatewayKey);
    gateway.confirmCardPayment(confirm.dataset.clientSecret).then(function (result) {
      if (result.error) {
        fail((result.error.message || "Your bank did not confirm the payment.") +
             " Nothing was charged.");
        return;
      }
      window.location.href = confirm.dataset.next;
    });
  }
})();
