/* Live idea boards (progressive enhancement; the pages work without this file).
 *
 * Board page ([data-board]): follows /ws/boards/<id>/, inserts new ideas on page 1, keeps
 * support and comment counts, statuses and merges current, and sends support over the
 * socket (falling back to the ordinary form post when the socket is not live).
 * Idea page ([data-idea-detail]): the same stream, for one idea: counts, status, new
 * comments; comments and support are sent over the socket when it is live.
 * User text is set with textContent; only comment bodies already sanitised by the server
 * (body_html) are inserted as HTML. See docs/realtime.md for the protocol.
 */
(function () {
  "use strict";

  var HIGHLIGHT_MS = 2100;

  function $(root, selector) {
    return root.querySelector(selector);
  }

  function highlight(el) {
    if (!el) return;
    el.classList.remove("highlight");
    void el.offsetWidth; // restart the animation
    el.classList.add("highlight");
    window.setTimeout(function () {
      el.classList.remove("highlight");
    }, HIGHLIGHT_MS);
  }

  function setText(root, field, value) {
    var el = $(root, '[data-field="' + field + '"]');
    if (el && el.textContent !== String(value)) {
      el.textContent = value;
      return true;
    }
    return false;
  }

  function showError(root, text) {
    var el = root && $(root, '[data-field="error"]');
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }

  function announce(text) {
    if (window.Live && text) window.Live.announce(text);
  }

  /* Support buttons: vote/unvote over the socket, the form post otherwise. */
  function wireSupport(container, live, strings) {
    container.addEventListener("submit", function (event) {
      var form = event.target.closest("[data-support-form]");
      if (!form || !live.isLive()) return;
      var button = $(form, "button[data-action]");
      if (!button) return;
      event.preventDefault();
      // Busy, not disabled: a disabled button drops keyboard focus to <body>.
      if (button.getAttribute("aria-busy") === "true") return;
      button.setAttribute("aria-busy", "true");
      live.request(
        { type: button.getAttribute("data-action"), idea: Number(form.getAttribute("data-idea")) },
        function ok(result) {
          button.removeAttribute("aria-busy");
          setSupported(form, result.supported, strings);
          var card = form.closest("[data-idea-id]");
          if (card) {
            showError(card, "");
            setText(card, "support_count", result.support_count);
          }
          announce(button.textContent + (card ? ", " + result.support_count : ""));
        },
        function failed(frame) {
          button.removeAttribute("aria-busy");
          showError(form.closest("[data-idea-id]"), frame.message);
          announce(frame.message);
        }
      );
    });
  }

  function setSupported(form, supported, strings) {
    var button = $(form, "button[data-action]");
    form.action = form.getAttribute(supported ? "data-withdraw-url" : "data-support-url");
    button.setAttribute("data-action", supported ? "unvote" : "vote");
    button.setAttribute("aria-pressed", supported ? "true" : "false");
    button.textContent = supported ? strings.supported : strings.supportButton;
    button.removeAttribute("aria-label");
    button.classList.toggle("button--secondary", supported);
  }

  /* A small layer over Live.connect: request/response by ref, and a live flag. */
  function open(path, handlers) {
    var waiting = {};
    var counter = 0;
    var state = "connecting";
    var socket = window.Live.connect(path, {
      onSnapshot: handlers.onSnapshot,
      onEvent: handlers.onEvent,
      onStatus: function (s) {
        state = s;
        if (handlers.onStatus) handlers.onStatus(s);
      },
      onAck: function (frame) {
        var entry = waiting[frame.ref];
        delete waiting[frame.ref];
        if (entry) entry.ok(frame.result || {});
      },
      onError: function (frame) {
        var entry = frame.ref && waiting[frame.ref];
        delete waiting[frame.ref];
        if (entry) entry.failed(frame);
        else if (frame.message) announce(frame.message);
      },
    });
    return {
      isLive: function () {
        return state === "live";
      },
      request: function (message, ok, failed) {
        counter += 1;
        // The ref goes first: a frame too large for the server to read is still answered.
        var framed = { ref: "r" + counter };
        Object.keys(message).forEach(function (key) {
          framed[key] = message[key];
        });
        waiting[framed.ref] = { ok: ok, failed: failed };
        socket.send(framed);
      },
    };
  }

  function strings(el) {
    var out = {};
    Array.prototype.forEach.call(el.attributes, function (attr) {
      if (attr.name.indexOf("data-msg-") === 0) {
        out[attr.name.slice(9).replace(/-([a-z])/g, function (_, c) { return c.toUpperCase(); })] =
          attr.value;
      }
    });
    return out;
  }

  /* ---------------------------------------------------------------- board page */

  function initBoard(board) {
    var list = $(board, "[data-idea-list]");
    var template = document.getElementById("idea-card-template");
    var statusLine = $(board, "[data-live-status]");
    var emptyNote = $(board, "[data-empty]");
    var totalEl = $(board, "[data-board-total]");
    var msg = strings(board);
    var page = Number(board.getAttribute("data-page"));
    var statusFilter = board.getAttribute("data-status");
    var authenticated = board.getAttribute("data-authenticated") === "true";
    var canSupport = board.getAttribute("data-can-support") === "true";
    var csrf = document.querySelector("[data-csrf] input[name=csrfmiddlewaretoken]");
    var supported = {};

    function card(id) {
      return list.querySelector('[data-idea-id="' + id + '"]');
    }

    function supportControl(idea) {
      var holder = document.createElement("div");
      if (!canSupport) return holder;
      if (!authenticated) {
        var link = document.createElement("a");
        link.className = "button button--small button--secondary";
        link.href = board.getAttribute("data-login-url");
        link.textContent = msg.signin;
        holder.appendChild(link);
        return holder;
      }
      var form = document.createElement("form");
      form.method = "post";
      form.className = "support-form";
      form.setAttribute("data-support-form", "");
      form.setAttribute("data-idea", idea.id);
      form.setAttribute("data-support-url", idea.url + "support/");
      form.setAttribute("data-withdraw-url", idea.url + "withdraw/");
      if (csrf) form.appendChild(csrf.cloneNode());
      var next = document.createElement("input");
      next.type = "hidden";
      next.name = "next";
      next.value = window.location.pathname + window.location.search;
      form.appendChild(next);
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "button button--small";
      button.setAttribute("data-action", "vote");
      form.appendChild(button);
      holder.appendChild(form);
      setSupported(form, !!supported[idea.id], msg);
      return holder;
    }

    function fill(el, idea) {
      var title = $(el, '[data-field="title"]');
      title.textContent = idea.title;
      title.href = idea.url;
      setText(el, "excerpt", idea.excerpt);
      setText(el, "persona", idea.persona.name);
      var status = $(el, '[data-field="status"]');
      status.textContent = idea.status_label;
      status.className = "tag status status--" + idea.status;
      setText(el, "support_count", idea.support_count);
      setText(el, "comment_count", idea.comment_count);
      var tags = $(el, '[data-field="tags"]');
      tags.textContent = "";
      idea.tags.forEach(function (name) {
        var tag = document.createElement("span");
        tag.className = "tag";
        tag.textContent = name;
        tags.appendChild(tag);
        tags.appendChild(document.createTextNode(" "));
      });
    }

    function build(idea) {
      var el = template.content.firstElementChild.cloneNode(true);
      el.id = "idea-" + idea.id;
      el.setAttribute("data-idea-id", idea.id);
      fill(el, idea);
      var time = $(el, '[data-field="created"]');
      time.setAttribute("datetime", idea.created_at);
      time.textContent = msg.now; // as the server words a card this new (community.timefmt)
      time.title = window.Live.formatDate(idea.created_at);
      $(el, '[data-field="comments-link"]').href = idea.url + "#comments";
      $(el, '[data-field="actions"]').appendChild(supportControl(idea));
      return el;
    }

    /* Cards that scroll into view feed the board's opinion map ("who saw which idea").
     * Cards the page was rendered with are recorded by the server already; cards added
     * live are reported here, in batches of at most 100 every few seconds. */
    var seenReported = {};
    var seenQueue = [];
    var seenTimer = null;
    Array.prototype.forEach.call(list.querySelectorAll("[data-idea-id]"), function (el) {
      seenReported[el.getAttribute("data-idea-id")] = true;
    });
    function flushSeen() {
      seenTimer = null;
      if (!seenQueue.length || !live.isLive()) return;
      var batch = seenQueue.splice(0, 100);
      live.request({ type: "seen", ideas: batch }, function () {}, function () {});
      if (seenQueue.length) seenTimer = setTimeout(flushSeen, 5000);
    }
    var seenObserver = authenticated && "IntersectionObserver" in window
      ? new IntersectionObserver(function (entries) {
          entries.forEach(function (entry) {
            if (!entry.isIntersecting) return;
            var id = entry.target.getAttribute("data-idea-id");
            seenObserver.unobserve(entry.target);
            if (seenReported[id]) return;
            seenReported[id] = true;
            seenQueue.push(Number(id));
          });
          if (seenQueue.length && !seenTimer) seenTimer = setTimeout(flushSeen, 3000);
        })
      : null;

    function insert(idea) {
      if (card(idea.id) || page !== 1) return false;
      if (statusFilter && statusFilter !== idea.status) return false;
      var el = build(idea);
      list.insertBefore(el, list.firstChild);
      if (seenObserver) seenObserver.observe(el);
      emptyNote.hidden = true;
      highlight(el);
      return true;
    }

    function bumpTotal(delta) {
      totalEl.textContent = Math.max(0, Number(totalEl.textContent) + delta);
    }

    var live = open(board.getAttribute("data-socket"), {
      onStatus: function (state) {
        statusLine.setAttribute("data-state", state);
        statusLine.textContent = state === "live" ? msg.live : msg.offline;
      },
      onSnapshot: function (frame) {
        var data = frame.data;
        supported = {};
        data.viewer.supported.forEach(function (id) {
          supported[id] = true;
        });
        totalEl.textContent = data.total;
        // Bring shown cards up to date; add ideas missed while disconnected (page 1 only).
        data.ideas
          .slice()
          .reverse()
          .forEach(function (idea) {
            var el = card(idea.id);
            if (el) fill(el, idea);
            else insert(idea);
          });
      },
      onEvent: function (frame) {
        var data = frame.data;
        var el;
        switch (frame.type) {
          case "idea.created":
            if (insert(data)) bumpTotal(1);
            announce(msg.new + " " + data.title);
            break;
          case "idea.updated":
            el = card(frame.id);
            if (el) {
              fill(el, data);
              highlight(el);
              announce(msg.updated + " " + data.title);
            }
            break;
          case "idea.vote_changed":
            el = card(frame.id);
            if (el && setText(el, "support_count", data.support_count)) {
              highlight($(el, '[data-field="support_count"]'));
              announce(msg.support + " " + $(el, '[data-field="title"]').textContent + ", " + data.support_count);
            }
            break;
          case "comment.created":
            el = card(data.comment.idea);
            if (el && setText(el, "comment_count", data.comment_count)) {
              highlight($(el, '[data-field="comment_count"]'));
              announce(msg.comment + " " + $(el, '[data-field="title"]').textContent);
            }
            break;
          case "idea.status_changed":
            el = card(frame.id);
            if (el) {
              var status = $(el, '[data-field="status"]');
              status.textContent = data.status_label;
              status.className = "tag status status--" + data.status;
              highlight(el);
              announce(msg.status + " " + $(el, '[data-field="title"]').textContent + ", " + data.status_label);
            }
            break;
          case "idea.hidden":
            el = card(frame.id);
            if (el) {
              el.parentNode.removeChild(el);
              bumpTotal(-1);
            }
            break;
          case "idea.merged":
            el = card(frame.id);
            if (el) {
              el.parentNode.removeChild(el);
              bumpTotal(-1);
            }
            var survivor = card(data.into);
            if (survivor) {
              setText(survivor, "support_count", data.support_count);
              setText(survivor, "comment_count", data.comment_count);
              highlight(survivor);
            }
            announce(msg.merged + " " + data.into_title);
            break;
        }
      },
    });
    wireSupport(board, live, msg);
  }

  /* ---------------------------------------------------------------- idea page */

  function initIdea(article) {
    var ideaId = Number(article.getAttribute("data-idea-detail"));
    var msg = strings(article);
    var actions = $(article, "[data-idea-id]");
    var commentList = document.querySelector("[data-comment-list]");
    var template = document.getElementById("comment-template");

    function addComment(comment) {
      if (document.getElementById("comment-" + comment.id)) return;
      var el = template.content.firstElementChild.cloneNode(true);
      el.id = "comment-" + comment.id;
      setText(el, "persona", comment.persona.name);
      var time = $(el, '[data-field="created"]');
      time.setAttribute("datetime", comment.created_at);
      time.textContent = msg.now; // as the server words a comment this new
      time.title = window.Live.formatDate(comment.created_at);
      $(el, '[data-field="body"]').innerHTML = comment.body_html; // sanitised by the server
      var item = document.createElement("li");
      item.appendChild(el);
      var thread = comment.parent && document.querySelector('[data-thread="' + comment.parent + '"]');
      if (thread) {
        $(thread, "[data-reply-list]").appendChild(item);
      } else {
        item.className = "comment-thread";
        commentList.appendChild(item);
      }
      var empty = $(commentList, "[data-no-comments]");
      if (empty) empty.parentNode.removeChild(empty);
      highlight(el);
    }

    /* A moderator hid this idea (or restored it): say so in place, as a reload would. */
    function notice() {
      var el = $(article, ".moderation-notice");
      if (!el) {
        el = document.createElement("p");
        el.className = "moderation-notice";
        var meta = $(article, "p.meta");
        meta.parentNode.insertBefore(el, meta.nextSibling);
      }
      return el;
    }

    function hidden(reason) {
      var el = notice();
      el.hidden = false;
      el.textContent = reason;
      highlight(el);
      if (article.getAttribute("data-is-author") !== "true") {
        Array.prototype.forEach.call(article.querySelectorAll("[data-hide-when-hidden]"), function (part) {
          part.hidden = true;
        });
      }
      announce(msg.hidden + " " + reason);
    }

    function restored() {
      var parts = article.querySelectorAll("[data-hide-when-hidden]");
      if (!parts.length && article.getAttribute("data-is-author") !== "true") {
        window.location.reload(); // the page was drawn hidden: its text is not here to show
        return;
      }
      Array.prototype.forEach.call(parts, function (part) {
        part.hidden = false;
      });
      var el = $(article, ".moderation-notice");
      if (el) el.parentNode.removeChild(el);
      announce(msg.restored);
    }

    var live = open(article.getAttribute("data-socket"), {
      onSnapshot: function () {},
      onEvent: function (frame) {
        var data = frame.data;
        if (frame.type === "comment.created" && data.comment.idea === ideaId) {
          addComment(data.comment);
          setText(actions, "comment_count", data.comment_count);
          announce(msg.comment + " " + data.comment.persona.name);
        } else if (frame.type === "idea.vote_changed" && frame.id === ideaId) {
          if (setText(actions, "support_count", data.support_count)) {
            highlight($(actions, '[data-field="support_count"]'));
            announce(msg.support + " " + data.support_count);
          }
        } else if (frame.type === "idea.status_changed" && frame.id === ideaId) {
          var status = $(article, '[data-field="status"]');
          status.textContent = data.status_label;
          highlight(status);
          announce(msg.status + " " + data.status_label);
        } else if (frame.type === "idea.merged" && frame.id === ideaId) {
          announce(msg.mergedInto + " " + data.into_title);
          window.location.assign(data.into_url);
        } else if (frame.type === "idea.hidden" && frame.id === ideaId) {
          hidden(data.reason);
        } else if (frame.type === "idea.created" && frame.id === ideaId) {
          restored();
        } else if (frame.type === "idea.merged" && data.into === ideaId) {
          setText(actions, "support_count", data.support_count);
          setText(actions, "comment_count", data.comment_count);
        }
      },
    });
    wireSupport(actions, live, msg);

    document.addEventListener("submit", function (event) {
      var form = event.target.closest("[data-comment-form]");
      if (!form || !live.isLive()) return;
      var body = form.querySelector("textarea[name=body]");
      if (!body || !body.value.trim()) return; // let the server explain
      event.preventDefault();
      var limit = Number(body.getAttribute("maxlength"));
      if (limit && body.value.length > limit) {
        // Pasted or filled past the limit: say it, keep the text, send nothing.
        var tooLong = msg.tooLong.replace("%(limit)s", limit).replace("%(count)s", body.value.length);
        showError(form, tooLong);
        announce(tooLong);
        body.focus();
        return;
      }
      var message = { type: "comment", idea: ideaId, body: body.value };
      var persona = form.querySelector("[name=persona]");
      var parent = form.querySelector("[name=parent]");
      if (persona && persona.value) message.persona = Number(persona.value);
      if (parent && parent.value) message.parent = Number(parent.value);
      var button = form.querySelector("button[type=submit]");
      // Busy, not disabled: a disabled button drops keyboard focus to <body>.
      if (button.getAttribute("aria-busy") === "true") return;
      button.setAttribute("aria-busy", "true");
      live.request(
        message,
        function () {
          button.removeAttribute("aria-busy");
          body.value = "";
          showError(form, "");
          announce(msg.posted);
        },
        function (frame) {
          button.removeAttribute("aria-busy");
          showError(form, frame.message);
          announce(frame.message);
          body.focus();
        }
      );
    });
  }

  function init() {
    if (!window.Live) return;
    var board = document.querySelector("[data-board]");
    if (board) initBoard(board);
    var article = document.querySelector("[data-idea-detail]");
    if (article) initIdea(article);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
