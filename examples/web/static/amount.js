// The Pay button states what will be charged: the amount typed in a part
// payment, as the page's language writes money, else the whole balance.
// Without JavaScript the button keeps naming the balance, and the server
// refuses an amount over it.
(function () {
  "use strict";
  var input = document.getElementById("amount");
  var button = document.getElementById("pay-button");
  if (!input || !button || !button.dataset.label || typeof Intl !== "object") { return; }
  var lang = document.documentElement.lang || "en";
  var decimal = new Intl.NumberFormat(lang).formatToParts(1.5)
    .filter(function (p) { return p.type === "decimal"; })
    .map(function (p) { return p.value; })[0] || ".";
  var money = new Intl.NumberFormat(lang, { style: "currency", currency: button.dataset.currency });

  function typed() {
    var text = input.value.replace(/[\s\u00a0\u202f]/g, "");
    if (decimal !== "." && text.indexOf(decimal) >= 0) {
      text = text.split(decimal === "," ? "." : ",").join("").replace(decimal, ".");
    } else if (decimal === ".") {
      text = text.split(",").join("");
    }
    text = text.replace(/[^0-9.]/g, "");
    return /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
  }
  function update() {
    var amount = typed();
    button.textContent = amount > 0
      ? button.dataset.label.replace("{amount}", money.format(amount))
      : button.dataset.full;
  }
  input.addEventListener("input", update);
  update();
})();
