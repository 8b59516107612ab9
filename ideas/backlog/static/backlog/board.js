/* Backlog board: live updates from other staff, and drag-and-drop moves.
 * Progressive enhancement: every move also works with the form on each card (keyboard). */
(function () {
  "use strict";
  var board = document.querySelector("[data-backlog-board]");
  if (!board || !window.Live) return;
  var canMove = board.dataset.canMove === "1";
  var statusBox = document.querySelector("[data-live-status]");

  function column(status) { return board.querySelector('[data-column="' + status + '"]'); }
  function card(id) { return board.querySelector('[data-item="' + id + '"]'); }

  function place(data) {
    var el = card(data.id);
    var target = column(data.status);
    if (!target) return;
    if (!el) {
      el = document.createElement("li");
      el.className = "card backlog-card";
      el.dataset.item = data.id;
      var h = document.createElement("h3");
      var a = document.createElement("a");
      a.href = "/backlog/items/" + data.id + "/";
      a.textContent = data.title;
      h.appendChild(a);
      el.appendChild(h);
    }
    el.dataset.status = data.status;
    target.appendChild(el);
    el.classList.add("highlight");
  }

  var live = window.Live.connect(board.dataset.socket, {
    onStatus: function (state) { if (statusBox) statusBox.textContent = state === "live" ? "" : state; },
    onEvent: function (frame) {
      if (frame.type === "backlog.item_moved") {
        place(frame.data);
        window.Live.announce(frame.data.title + " " + board.dataset.msgMoved + " " + frame.data.status_label);
      } else if (frame.type === "backlog.item_created") {
        place(frame.data);
        window.Live.announce(board.dataset.msgAdded + " " + frame.data.title);
      }
    },
    onError: function (frame) { window.Live.announce(frame.message); },
  });

  if (!canMove) return;
  var dragged = null;
  board.addEventListener("dragstart", function (event) {
    var el = event.target.closest && event.target.closest("[data-item]");
    if (!el) return;
    dragged = el;
    event.dataTransfer.setData("text/plain", el.dataset.item);
  });
  board.querySelectorAll("[data-column]").forEach(function (list) {
    list.addEventListener("dragover", function (event) { event.preventDefault(); });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged || dragged.dataset.status === list.dataset.column) return;
      var text = dragged.querySelector("textarea");
      live.send({
        type: "move",
        item: Number(dragged.dataset.item),
        status: list.dataset.column,
        message: text ? text.value : "",
      });
      dragged = null;
    });
  });
})();
