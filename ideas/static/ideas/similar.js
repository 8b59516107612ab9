/* Similar ideas while typing a new one: a debounced request to the board's similar-idea
 * endpoint, results listed in a polite live region. Without JavaScript the form's
 * "Preview and check for similar ideas" button does the same on the server. */
(function () {
  "use strict";

  var DELAY_MS = 450;
  var MIN_CHARS = 12;

  function init() {
    var form = document.querySelector("form[data-similar-url]");
    var results = document.querySelector("[data-similar-results]");
    if (!form || !results || !window.fetch) return;
    var title = form.querySelector("[name=title]");
    var body = form.querySelector("[name=body]");
    var timer = null;
    var lastQuery = "";
    var controller = null;

    function render(items) {
      results.textContent = "";
      if (!items.length) {
        var none = document.createElement("p");
        none.className = "meta";
        none.textContent = form.getAttribute("data-msg-none");
        results.appendChild(none);
        return;
      }
      var list = document.createElement("ul");
      list.className = "similar-list";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = " · " + item.support_count + " " + form.getAttribute("data-msg-supporters");
        li.appendChild(link);
        li.appendChild(meta);
        list.appendChild(li);
      });
      results.appendChild(list);
    }

    function lookup() {
      var query = ((title && title.value) || "") + "\n" + ((body && body.value) || "");
      query = query.trim().slice(0, 2000);
      if (query.length < MIN_CHARS || query === lastQuery) return;
      lastQuery = query;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = form.getAttribute("data-similar-url") + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller && controller.signal })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          render(data.results || []);
        })
        .catch(function () {});
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, DELAY_MS);
    }

    [title, body].forEach(function (field) {
      if (field) field.addEventListener("input", schedule);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
