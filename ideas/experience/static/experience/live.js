/* Service dashboard: keep each service's headline figures live.
 * Progressive enhancement: without JavaScript the figures are as of page load. */
(function () {
  "use strict";
  var box = document.querySelector("[data-experience-live]");
  if (!box || !window.Live) return;
  var status = document.querySelector("[data-live-status]");

  function apply(rows) {
    var changed = false;
    rows.forEach(function (row) {
      var tr = box.querySelector('tr[data-service="' + row.id + '"]');
      if (!tr) return;
      ["responses", "satisfaction", "got_share"].forEach(function (name) {
        var cell = tr.querySelector('[data-field="' + name + '"]');
        var text = row[name] === null ? "–" : String(row[name]);
        if (cell && cell.textContent !== text) {
          cell.textContent = text;
          cell.classList.add("highlight");
          changed = true;
        }
      });
    });
    return changed;
  }

  window.Live.connect(box.dataset.socket, {
    onStatus: function (state) {
      if (status) status.dataset.state = state;
      if (status) status.textContent = state === "live" ? box.dataset.msgLive : box.dataset.msgOffline;
    },
    onSnapshot: function (frame) { apply(frame.data.services); },
    onEvent: function (frame) {
      if (frame.type === "experience.figures" && apply(frame.data.services)) {
        window.Live.announce(box.dataset.msgUpdated);
      }
    },
  });
})();
