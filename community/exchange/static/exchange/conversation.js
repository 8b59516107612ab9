/* Live conversation for an exchange: new messages and state changes appear without a reload,
 * and the message form sends over the websocket. Without JavaScript (or while offline) the
 * page and its forms work as plain HTML. Protocol: docs/realtime.md. */
(function () {
  "use strict";

  var panel = document.getElementById("exchange-status");
  var list = document.getElementById("exchange-messages");
  if (!panel || !list || !window.Live) return;

  var side = panel.dataset.side;
  var reportUrl = panel.dataset.reportUrl || "";
  var statusEl = document.getElementById("live-status");
  var form = document.getElementById("message-form");
  var lastState = null;
  var live = null;
  var isLive = false;
  var sent = {};

  function text(el, value) {
    el.textContent = value;
    return el;
  }

  function messageItem(m) {
    var li = document.createElement("li");
    li.className = "exchange-message exchange-message--" + m.kind + (m.side === side ? " exchange-message--mine" : "");
    li.dataset.id = String(m.id);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.appendChild(text(document.createElement("strong"), m.author));
    meta.appendChild(document.createTextNode(" · "));
    var time = text(document.createElement("time"), window.Live.formatDate(m.created_at));
    time.setAttribute("datetime", m.created_at);
    meta.appendChild(time);
    if (m.side !== side && m.kind !== "event" && reportUrl) {
      meta.appendChild(document.createTextNode(" · "));
      var a = text(document.createElement("a"), list.dataset.reportLabel || "Report");
      a.href = reportUrl.replace("/0/", "/" + m.id + "/");
      meta.appendChild(a);
    }
    var body = document.createElement("div");
    body.className = "exchange-message__body";
    body.innerHTML = m.body_html; // sanitised on the server (community.text.sanitize_html)
    li.appendChild(meta);
    li.appendChild(body);
    return li;
  }

  function addMessage(m, announce) {
    if (list.querySelector('[data-id="' + m.id + '"]')) return;
    var li = messageItem(m);
    list.appendChild(li);
    if (announce) {
      li.classList.add("highlight");
      if (m.side !== side) window.Live.announce(m.author + ": " + li.textContent.slice(0, 140));
    }
  }

  function showState(state) {
    var status = panel.querySelector('[data-state="status"]');
    if (status) status.textContent = state.status_label;
    if (lastState && (lastState.status !== state.status || lastState.proposed_hours !== state.proposed_hours ||
        lastState.owner_confirmed !== state.owner_confirmed || lastState.responder_confirmed !== state.responder_confirmed ||
        JSON.stringify(lastState.thanks) !== JSON.stringify(state.thanks))) {
      var note = panel.querySelector(".exchange-refresh");
      if (!note) {
        note = document.createElement("p");
        note.className = "message exchange-refresh";
        var link = text(document.createElement("a"), panel.dataset.refreshLabel || "The exchange has changed: update the page to see what to do next.");
        link.href = window.location.pathname;
        note.appendChild(link);
        panel.appendChild(note);
      }
      window.Live.announce(state.status_label);
    }
    lastState = state;
  }

  function setStatus(state) {
    isLive = state === "live";
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = isLive ? (statusEl.dataset.liveLabel || "Live: new messages appear here.")
      : (statusEl.dataset.offlineLabel || "Reconnecting… you can still send with the form.");
  }

  function formError(message) {
    var box = form.querySelector(".exchange-live-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "errorlist exchange-live-error";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = message || "";
  }

  live = window.Live.connect(panel.dataset.livePath, {
    onStatus: setStatus,
    onSnapshot: function (frame) {
      list.textContent = "";
      frame.data.messages.forEach(function (m) { addMessage(m, false); });
      lastState = null;
      showState(frame.data.exchange);
    },
    onEvent: function (frame) {
      if (frame.type === "exchange.message") addMessage(frame.data, true);
      else if (frame.type === "exchange.message_hidden") {
        var li = list.querySelector('[data-id="' + frame.data.id + '"]');
        if (li) {
          li.remove();
          if (frame.data.reason) window.Live.announce(frame.data.reason);
        }
      } else if (frame.type === "exchange.updated") showState(frame.data);
    },
    onAck: function (frame) {
      if (frame.ref && sent[frame.ref]) {
        delete sent[frame.ref];
        form.querySelector("textarea").value = "";
        formError("");
      }
    },
    onError: function (frame) {
      if (frame.ref && sent[frame.ref]) {
        delete sent[frame.ref];
        formError(frame.message);
      }
    },
  });

  if (form) {
    form.addEventListener("submit", function (event) {
      if (!isLive) return; // fall back to the normal POST
      var area = form.querySelector("textarea");
      var body = area.value.trim();
      if (!body) return;
      event.preventDefault();
      var ref = "m" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
      sent[ref] = true;
      live.send({ type: "message", body: body, ref: ref });
    });
  }
})();
