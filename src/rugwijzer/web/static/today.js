// Live preview of what Rugwijzer understands while a meal is typed. Progressive enhancement:
// without JavaScript the form simply posts. Nothing is fetched from outside this server.
(function () {
  "use strict";
  var input = document.getElementById("text");
  var preview = document.getElementById("meal-preview");
  if (!input || !preview || !window.fetch) { return; }
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var locale = lang === "en" ? "en-GB" : "nl-NL";
  function mg(value) { return Math.round(value).toLocaleString(locale) + " mg"; }
  // A food's Dutch name on a Dutch page where there is one; else the USDA name, marked as
  // English when the page is not (WCAG 2.2 success criterion 3.1.2, language of parts).
  function foodName(food) {
    var span = document.createElement("span");
    var dutch = lang === "nl" && food.name_nl;
    span.textContent = dutch ? food.name_nl : food.name_en;
    if (!dutch && lang !== "en") { span.lang = "en"; }
    return span;
  }
  var timer = null;
  var last = "";

  function render(view) {
    preview.textContent = "";
    var list = document.createElement("ul");
    view.items.forEach(function (item) {
      var li = document.createElement("li");
      var magnesium = item.nutrients.magnesium_mg;
      li.appendChild(document.createTextNode(item.text + " → "));
      li.appendChild(foodName(item.food));
      li.appendChild(document.createTextNode(": " +
        Math.round(item.grams).toLocaleString(locale) + " g, " +
        (magnesium === null ? "? mg" : mg(magnesium)) + " magnesium"));
      if (item.alternatives.length) {
        var alt = document.createElement("small");
        alt.appendChild(document.createTextNode(" (" + preview.dataset.or + " "));
        item.alternatives.forEach(function (a, index) {
          if (index) { alt.appendChild(document.createTextNode("; ")); }
          alt.appendChild(foodName(a));
        });
        alt.appendChild(document.createTextNode(")"));
        li.appendChild(alt);
      }
      list.appendChild(li);
    });
    view.unparsed.forEach(function (part) {
      var li = document.createElement("li");
      li.className = "warning";
      li.textContent = (part.not_in_data ? preview.dataset.missing : preview.dataset.unparsed) +
        ": " + part.text;
      list.appendChild(li);
    });
    preview.appendChild(list);
    var meal = view.totals.magnesium_mg.amount;
    var total = document.createElement("p");
    total.textContent = preview.dataset.total + ": " + mg(meal) + " magnesium";
    preview.appendChild(total);
    // Where the day's bar would move to: shown next to it, the real bar moves once it is saved.
    var before = parseFloat(preview.dataset.magnesium || "0");
    var target = parseFloat(preview.dataset.target || "");
    var then = document.createElement("p");
    then.textContent = preview.dataset.then + ": " + mg(before + meal) +
      (target > 0 ? " " + preview.dataset.of + " " + mg(target) : "");
    if (target > 0) {
      var meter = document.createElement("meter");
      meter.min = 0;
      meter.max = target;
      meter.value = before + meal;
      meter.setAttribute("aria-label", preview.dataset.then);
      then.appendChild(document.createElement("br"));
      then.appendChild(meter);
    }
    preview.appendChild(then);
  }

  function update() {
    var text = input.value.trim();
    if (text === last) { return; }
    last = text;
    if (!text) { preview.textContent = ""; return; }
    fetch("/api/v1/meals/parse", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: text, lang: lang })
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (view) {
      if (view && input.value.trim() === text) { render(view); }
    }).catch(function () { /* the form still works without a preview */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
})();
