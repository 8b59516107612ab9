/* Civic Commons realtime client: snapshot, then events in sequence; resync on any gap.
 *
 * A connection may follow private side streams besides its own (the snapshot lists them in
 * "streams" with their numbers); each stream's events are checked for gaps on their own.
 *
 *   const live = Live.connect("/ws/health/", {
 *     onSnapshot(frame) {...}, onEvent(frame) {...}, onError(frame) {...}, onAck(frame) {...},
 *     onStatus(state) {...}   // "connecting" | "live" | "offline"
 *   });
 *   live.send({type: "ping", nonce: "abc"});
 *
 * Pages work without JavaScript; this only makes them live. See docs/realtime.md.
 */
(function () {
  "use strict";

  var MIN_DELAY = 1000;
  var MAX_DELAY = 30000;

  function socketUrl(path) {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + path;
  }

  function connect(path, handlers) {
    handlers = handlers || {};
    var socket = null;
    var seqs = null; // stream name -> sequence of the last event applied; null: no snapshot
    var delay = MIN_DELAY;
    var closedByPage = false;
    var pending = [];

    function status(state) {
      if (handlers.onStatus) handlers.onStatus(state);
    }

    function send(message) {
      var text = JSON.stringify(message);
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(text);
        return true;
      }
      pending.push(text);
      return false;
    }

    function resync() {
      seqs = null;
      send({ type: "resync" });
    }

    function onFrame(frame) {
      if (frame.type === "snapshot") {
        seqs = {};
        seqs[frame.stream] = frame.seq;
        Object.keys(frame.streams || {}).forEach(function (name) {
          seqs[name] = frame.streams[name];
        });
        if (handlers.onSnapshot) handlers.onSnapshot(frame);
      } else if (frame.type === "error") {
        if (handlers.onError) handlers.onError(frame);
      } else if (frame.type === "ack") {
        if (handlers.onAck) handlers.onAck(frame);
      } else if (typeof frame.seq === "number") {
        if (seqs === null) return; // waiting for a snapshot; it will include this change
        var seq = seqs[frame.stream];
        if (typeof seq !== "number") return; // a stream this page no longer follows
        if (frame.seq <= seq) {
          // Already reflected in the snapshot, unless the counters started again from 1
          // (Redis restarted without persistence): then the state is stale; fetch it afresh.
          if (frame.seq === 1 && seq > 1) resync();
          return;
        }
        if (frame.seq !== seq + 1) {
          resync();
          return;
        }
        seqs[frame.stream] = frame.seq;
        if (handlers.onEvent) handlers.onEvent(frame);
      }
    }

    function open() {
      status("connecting");
      socket = new WebSocket(socketUrl(path));
      socket.addEventListener("open", function () {
        delay = MIN_DELAY;
        status("live");
        while (pending.length) socket.send(pending.shift());
      });
      socket.addEventListener("message", function (event) {
        var frame;
        try {
          frame = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        onFrame(frame);
      });
      socket.addEventListener("close", function (event) {
        status("offline");
        seqs = null;
        if (closedByPage || event.code === 4403 || event.code === 4404) return;
        var wait = delay + Math.floor(Math.random() * 500);
        delay = Math.min(delay * 2, MAX_DELAY);
        window.setTimeout(open, wait);
      });
    }

    open();
    return {
      send: send,
      resync: resync,
      close: function () {
        closedByPage = true;
        if (socket) socket.close();
      },
    };
  }

  /* Polite, throttled announcements for screen readers: at most one every few seconds;
   * messages arriving meanwhile are merged into the next one. */
  var queue = [];
  var timer = null;
  var THROTTLE_MS = 3000;

  function flush() {
    timer = null;
    var region = document.getElementById("live-announcer");
    if (!region || !queue.length) return;
    var text = queue.length > 3 ? queue.slice(-3).join(" ") + " …" : queue.join(" ");
    queue = [];
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
    timer = window.setTimeout(function () {
      timer = null;
      if (queue.length) flush();
    }, THROTTLE_MS);
  }

  function announce(text) {
    queue.push(text);
    if (!timer) flush();
  }

  /* A date and time as the server writes it in the page's language (community/formats.py):
   * the pattern and time zone come from <html data-datetime-pattern data-time-zone>, the
   * words and digits from Intl in the page's language, never the browser's own locale. */
  function formatDate(iso) {
    var root = document.documentElement;
    var pattern = root.getAttribute("data-datetime-pattern");
    var when = new Date(iso);
    if (!pattern || isNaN(when.getTime())) return iso;
    var options = {
      day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23",
    };
    var zone = root.getAttribute("data-time-zone");
    if (zone) options.timeZone = zone;
    var parts = {};
    new Intl.DateTimeFormat(root.lang || undefined, options).formatToParts(when).forEach(function (p) {
      parts[p.type] = p.value;
    });
    return pattern.replace(/\{(day|month|year|hour|minute)\}/g, function (_, slot) {
      return parts[slot] || "";
    });
  }

  window.Live = { connect: connect, announce: announce, formatDate: formatDate };
})();
