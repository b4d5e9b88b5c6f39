// Live preview of what Rugwijzer understands while a meal is typed. Progressive enhancement:
// without JavaScript the form simply posts. Nothing is fetched from outside this server.
(function () {
  "use strict";
  var input = document.getElementById("text");
  var preview = document.getElementById("meal-preview");
  if (!input || !preview || !window.fetch) { return; }
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var timer = null;
  var last = "";

  function render(view) {
    preview.textContent = "";
    var list = document.createElement("ul");
    view.items.forEach(function (item) {
      var li = document.createElement("li");
      var name = (lang === "nl" && item.food.name_nl) ? item.food.name_nl : item.food.name_en;
      var mg = item.nutrients.magnesium_mg;
      li.textContent = item.text + " → " + name + ": " + Math.round(item.grams) + " g, " +
        (mg === null ? "?" : Math.round(mg)) + " mg magnesium";
      if (item.alternatives.length) {
        var alt = document.createElement("small");
        alt.textContent = " (" + preview.dataset.or + " " + item.alternatives.map(function (a) {
          return (lang === "nl" && a.name_nl) ? a.name_nl : a.name_en;
        }).join("; ") + ")";
        li.appendChild(alt);
      }
      list.appendChild(li);
    });
    view.unparsed.forEach(function (part) {
      var li = document.createElement("li");
      li.className = "warning";
      li.textContent = preview.dataset.unparsed + ": " + part.text;
      list.appendChild(li);
    });
    preview.appendChild(list);
    var total = document.createElement("p");
    total.textContent = preview.dataset.total + ": " +
      Math.round(view.totals.magnesium_mg.amount) + " mg magnesium";
    preview.appendChild(total);
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
