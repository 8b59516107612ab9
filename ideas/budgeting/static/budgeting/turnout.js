/* Live turnout on a budget page during the vote: snapshot, then budget.turnout events.
 * The server sends each count with its label (counts below 5 are suppressed there and
 * arrive as a label only). Changes are announced politely (Live.announce throttles).
 * Without JavaScript the numbers are as of page load. */
(function () {
  "use strict";
  var box = document.querySelector("[data-turnout]");
  if (!box || !window.Live) return;
  var total = box.querySelector("[data-turnout-total]");

  function apply(data) {
    var changed = total.textContent !== data.total_label;
    total.textContent = data.total_label;
    (data.districts || []).forEach(function (row) {
      box.querySelectorAll("[data-district]").forEach(function (cell) {
        if (cell.dataset.district === row.name) cell.textContent = row.label;
      });
    });
    return changed;
  }

  window.Live.connect(box.dataset.socket, {
    onSnapshot: function (frame) { apply(frame.data); },
    onEvent: function (frame) {
      if (frame.type === "budget.turnout" && apply(frame.data)) {
        window.Live.announce(box.dataset.msgUpdated + " " + total.textContent);
      }
    },
  });
})();
