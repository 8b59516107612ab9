/* Live notification badge: the count in the header follows the private notifications stream.
 * Without JavaScript the badge shows the count as of page load and the link still works. */
(function () {
  "use strict";
  var link = document.querySelector("[data-notifications]");
  if (!link || !window.Live || !window.WebSocket) return;
  var badge = link.querySelector("[data-badge]");
  var count = link.querySelector("[data-badge-count]");
  var newLabel = link.getAttribute("data-new-label") || "New notification:";

  function show(unread) {
    if (typeof unread !== "number" || !badge || !count) return;
    count.textContent = String(unread);
    badge.hidden = unread < 1;
  }

  window.Live.connect(link.getAttribute("data-live-path"), {
    onSnapshot: function (frame) { show(frame.data.unread); },
    onEvent: function (frame) {
      show(frame.data.unread);
      if (frame.type === "notification.created" && frame.data.title) {
        window.Live.announce(newLabel + " " + frame.data.title);
      }
    },
  });
})();
