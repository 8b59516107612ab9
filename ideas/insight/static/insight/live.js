/* Insight dashboard: keep the "today" and "this week" counters live.
 * Progressive enhancement: without JavaScript the counters are as of page load. */
(function () {
  "use strict";
  var box = document.querySelector("[data-insight-counters]");
  if (!box || !window.Live) return;
  var status = document.querySelector("[data-live-status]");

  function apply(counters) {
    Object.keys(counters).forEach(function (period) {
      Object.keys(counters[period]).forEach(function (name) {
        var el = box.querySelector('[data-counter="' + period + "." + name + '"]');
        if (el && el.textContent !== String(counters[period][name])) {
          el.textContent = counters[period][name];
          el.classList.add("highlight");
        }
      });
    });
  }

  window.Live.connect(box.dataset.socket, {
    onStatus: function (state) {
      if (status) status.textContent = state === "live" ? box.dataset.msgLive : box.dataset.msgOffline;
    },
    onSnapshot: function (frame) { apply(frame.data.counters); },
    onEvent: function (frame) {
      if (frame.type === "insight.counters") {
        apply(frame.data);
        window.Live.announce(box.dataset.msgUpdated);
      }
    },
  });
})();
