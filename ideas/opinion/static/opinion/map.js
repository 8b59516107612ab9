/* Live opinion map: when a newer map is stored, fetch the server-rendered body and swap it in.
 * Progressive enhancement: without JavaScript the map is as of page load (reload to update).
 * The page's HTML is the one rendering (translated, small groups suppressed on the server);
 * this script only asks for it again. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-opinion-map]");
  if (!boxes.length || !window.Live) return;

  Array.prototype.forEach.call(boxes, function (box) {
    var body = box.querySelector("[data-opinion-body]");
    var status = box.querySelector("[data-opinion-status]");
    var shown = parseInt(box.dataset.version, 10) || 0;
    var loading = false;
    var again = false;

    function redraw(version) {
      if (version <= shown) return;
      if (loading) { again = true; return; }
      loading = true;
      fetch(box.dataset.partial, { headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          body.replaceChildren.apply(body, Array.prototype.slice.call(doc.body.childNodes));
          shown = version;
          box.dataset.version = String(version);
          window.Live.announce(box.dataset.msgUpdated);
        })
        .catch(function () { /* the next event or a reload tries again */ })
        .then(function () {
          loading = false;
          if (again) { again = false; redraw(latest); }
        });
    }

    var latest = shown;
    function seen(data) {
      if (!data || data.status === "pending") return;
      latest = Math.max(latest, data.version);
      redraw(latest);
    }

    window.Live.connect(box.dataset.socket, {
      onStatus: function (state) {
        if (status) status.textContent = state === "live" ? box.dataset.msgLive : box.dataset.msgOffline;
      },
      onSnapshot: function (frame) { seen(frame.data); },
      onEvent: function (frame) {
        if (frame.type === "opinion.map") seen(frame.data);
      },
    });
  });
})();
