/* Live co-design board (progressive enhancement; the page works without this file).
 *
 * Follows /ws/sessions/<id>/ (docs/realtime.md, "Co-design sessions"): keeps the snapshot's
 * state, applies each event to it and redraws the board. Every control sends the same action
 * over the socket that its form would post. Notes can be dragged onto groups, or moved with
 * the "Move to group" menu on each note (keyboard and phone). User text is set with
 * textContent only. A "stale" error carries the note or group as it now stands ("current"); a
 * stale session-level change is followed by a fresh snapshot from the server.
 *
 * The server draws every form the viewer may use (hidden when the phase does not allow it);
 * this script shows and hides them and redraws only the notes, groups, people and outcomes,
 * building each control it draws as a real form that also works as a plain post. A note is
 * never lost quietly: its text stays in the box until the server acknowledges it, and a
 * refusal, a hold for review or a dropped connection is shown as an error.
 *
 * Under load the server may answer "busy" (nothing was saved, docs/realtime.md "Overload"):
 * the same message is sent again after the frame's retry_after_ms, and a polite status says
 * so. Moving one's own note into a group shows at once; the server's event (or a refusal,
 * which puts the note back) settles it. Drags of a note's position arrive as "notes.moved".
 */
(function () {
  "use strict";

  var root = document.getElementById("codesign");
  if (!root || !window.Live) return;
  var T = JSON.parse(document.getElementById("codesign-text").textContent);
  var sessionId = root.getAttribute("data-session");
  var actUrl = root.getAttribute("data-act");
  var promoteUrl = root.getAttribute("data-promote");
  var csrf = root.getAttribute("data-csrf");
  var state = null;
  var noteRef = null; // the note_add awaiting its ack: {ref, text}
  var refs = 0;
  var deadline = null;
  var typingSent = 0;
  var sent = {}; // ref -> message, until its ack or error (a "busy" one is sent again)
  var moving = {}; // ref -> {id, group, version}: a group move shown before its answer
  var choosing = {}; // note id -> group chosen in its "Move to group" menu, not yet moved

  function $(selector, scope) {
    return (scope || root).querySelector(selector);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) {
        node.setAttribute(key, attrs[key] === true ? "" : attrs[key]);
      }
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key];
    });
  }

  function joined() {
    return state && state.you.participant !== null;
  }

  function phase() {
    return state.session.phase;
  }

  function showMessage(text, isError) {
    var box = $("[data-live-message]");
    box.textContent = text;
    box.className = isError ? "live-message live-message--error" : "live-message";
    box.hidden = !text;
    if (text) window.Live.announce(text);
  }

  // -- sending ------------------------------------------------------------------------------

  var live = window.Live.connect("/ws/sessions/" + sessionId + "/", {
    onStatus: function (s) {
      var status = $("[data-live-status]");
      status.setAttribute("data-state", s);
      status.textContent = T[s] || s;
      if (s !== "live" && noteRef) noteRef.dropped = true;
    },
    onSnapshot: function (frame) {
      state = frame.data;
      if (noteRef && noteRef.dropped) {
        // Sent, then the connection dropped: done if the note is on the board, else say so.
        var found = state.notes.some(function (n) {
          return n.author.id === state.you.participant && n.text === noteRef.text;
        });
        if (found) clearNote();
        else showMessage(T.note_unconfirmed, true);
        noteRef = null;
      }
      render();
    },
    onEvent: function (frame) {
      if (!state) return;
      apply(frame);
      render();
    },
    onError: function (frame) {
      var message = frame.ref ? sent[frame.ref] : null;
      if (frame.code === "busy" && message) {
        // Nothing was saved: send the same change again after the server's hint.
        showMessage(T.busy, false);
        var wait = (frame.retry_after_ms || 1000) + Math.floor(Math.random() * 250);
        window.setTimeout(function () {
          live.send(message);
        }, wait);
        return;
      }
      settle(frame.ref, true);
      if (noteRef && frame.ref === noteRef.ref) noteRef = null; // refused: the text stays
      // A stale note or group comes back as it now stands: show that, so a retry uses it.
      var current = frame.current;
      if (current && current.kind === "note") upsert(state.notes, current.note);
      if (current && current.kind === "group") upsert(state.groups, current.group);
      if (current) render();
      showMessage(frame.message, true);
    },
    onAck: function (frame) {
      settle(frame.ref, false);
      if (frame.action === "note_add") {
        if (noteRef && frame.ref === noteRef.ref) noteRef = null;
        if (frame.result && frame.result.held) {
          // Held for review: nobody sees it yet. Say so as clearly as a refusal; the text
          // stays in the box so the author can reword it.
          showMessage(frame.result.note_message, true);
        } else {
          clearNote();
          showMessage(T.note_added);
        }
      } else if (frame.action === "vote" || frame.action === "unvote") {
        state.you.votes[String(frame.result.group)] = frame.result.mine;
        state.you.votes_left = frame.result.left;
        render();
        showMessage(fmt(T.votes_left, { n: frame.result.left }));
      } else if (frame.action !== "typing") {
        // "typing" follows every note: its ack must not wipe the note's confirmation.
        showMessage("");
      }
    },
  });

  function clearNote() {
    var text = $("#note-text");
    if (text) text.value = "";
  }

  function send(message) {
    if (message.type !== "typing") {
      if (!message.ref) {
        refs += 1;
        message.ref = "m-" + refs;
      }
      sent[message.ref] = message;
    }
    return live.send(message);
  }

  function settle(ref, refused) {
    // An answer came: forget the message; a refused group move puts the note back.
    if (!ref) return;
    delete sent[ref];
    var move = moving[ref];
    delete moving[ref];
    if (refused && move) {
      var note = noteById(move.id);
      if (note && note.version === move.version) {
        note.group = move.group;
        render();
      }
    }
  }

  function noteById(id) {
    for (var i = 0; i < state.notes.length; i++) if (state.notes[i].id === id) return state.notes[i];
    return null;
  }

  function moveNote(noteId, groupId) {
    var note = noteById(noteId);
    if (!note) return;
    delete choosing[noteId];
    var message = { type: "note_move", note: noteId, version: note.version };
    if (groupId) message.group = groupId;
    else message.ungroup = true;
    refs += 1;
    message.ref = "move-" + refs;
    // Shown at once; the server's note.updated (or a refusal) settles it.
    moving[message.ref] = { id: noteId, group: note.group, version: note.version };
    note.group = groupId || null;
    render();
    send(message);
  }

  function actionFrom(form) {
    var kind = form.getAttribute("data-live-action");
    var data = new FormData(form);
    var version = state.session.version;
    switch (kind) {
      case "phase":
        return { type: "phase", to: data.get("to"), version: version };
      case "reveal":
        return { type: "reveal", version: version };
      case "lock":
        return { type: "lock", locked: !state.session.locked, version: version };
      case "timer_start":
        return { type: "timer_start", seconds: data.get("seconds") ? parseInt(data.get("seconds"), 10) : null, version: version };
      case "timer_pause":
        return { type: "timer_pause", version: version };
      case "timer_extend":
        return { type: "timer_extend", seconds: parseInt(data.get("seconds"), 10), version: version };
      case "note_add":
        var prompt = parseInt(data.get("prompt"), 10);
        return { type: "note_add", text: data.get("text") || "", prompt: prompt || null, colour: data.get("colour") || "yellow" };
      case "group_add":
        return { type: "group_add", name: data.get("name") || "" };
      case "vote":
      case "unvote":
        return { type: kind, group: parseInt(data.get("group"), 10) };
      case "outcome_add":
        var group = parseInt(data.get("group"), 10);
        return { type: "outcome_add", title: data.get("title") || "", description: data.get("description") || "", group: group || null };
      case "note_move":
        moveNote(parseInt(data.get("note"), 10), parseInt(data.get("group"), 10) || null);
        return null;
      case "note_delete":
        var note = noteById(parseInt(data.get("note"), 10));
        return note ? { type: "note_delete", note: note.id, version: note.version } : null;
      case "outcome_promote":
        return { type: "outcome_promote", outcome: parseInt(data.get("outcome"), 10) };
      case "note_edit":
        var edited = noteById(parseInt(data.get("note"), 10));
        return edited ? { type: "note_edit", note: edited.id, version: edited.version, text: data.get("text") || "", colour: data.get("colour") || edited.colour } : null;
      case "group_rename":
      case "group_delete":
        var groupId = parseInt(data.get("group"), 10);
        var found = state.groups.filter(function (g) { return g.id === groupId; })[0];
        if (!found) return null;
        var message = { type: kind, group: found.id, version: found.version };
        if (kind === "group_rename") message.name = data.get("name") || "";
        return message;
      case "remove":
        return { type: "remove", participant: parseInt(data.get("participant"), 10) };
    }
    return null;
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-action") || !state) return;
    if ($("[data-live-status]").getAttribute("data-state") !== "live") return; // plain post
    event.preventDefault();
    var message = actionFrom(form);
    if (message && message.type === "note_add") {
      refs += 1;
      message.ref = "note-" + refs;
      noteRef = { ref: message.ref, text: message.text.split(/\s+/).filter(Boolean).join(" ") };
    }
    if (message) send(message);
    if (message && message.type === "note_add") send({ type: "typing", typing: false });
    if (message && message.type === "group_add") form.reset();
  });

  root.addEventListener("input", function (event) {
    if (event.target.id !== "note-text" || !joined()) return;
    var now = Date.now();
    if (now - typingSent > 4000) {
      typingSent = now;
      send({ type: "typing", typing: true });
    }
  });

  // A group chosen in a note's menu survives the redraws other people's changes cause, so
  // "Move" moves it where this person chose, not where the redraw reset the menu to.
  root.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.note__move");
    if (form) choosing[form.querySelector('[name="note"]').value] = event.target.value;
  });

  // Drag and drop (the "Move to group" menu on each note does the same from the keyboard).
  root.addEventListener("dragstart", function (event) {
    var note = event.target.closest && event.target.closest("[data-note-id]");
    if (note) event.dataTransfer.setData("text/plain", note.getAttribute("data-note-id"));
  });
  root.addEventListener("dragover", function (event) {
    if (event.target.closest && event.target.closest("[data-drop]")) event.preventDefault();
  });
  root.addEventListener("drop", function (event) {
    var target = event.target.closest && event.target.closest("[data-drop]");
    if (!target) return;
    event.preventDefault();
    var noteId = parseInt(event.dataTransfer.getData("text/plain"), 10);
    var group = parseInt(target.getAttribute("data-drop"), 10) || null;
    if (noteId) moveNote(noteId, group);
  });

  // -- applying events ------------------------------------------------------------------------

  function upsert(list, item) {
    // Keeps the newer of two versions: events from two server processes, or a stale reply's
    // "current", may arrive after a later change of the same item.
    for (var i = 0; i < list.length; i++) {
      if (list[i].id === item.id) {
        if (!(item.version < list[i].version)) list[i] = item;
        return false;
      }
    }
    list.push(item);
    return true;
  }

  function keepText(note) {
    // The shared stream carries a concealed note without its text; its text comes separately
    // (note.text) to those who may read it, in either order: a placeholder never hides text
    // this page already has.
    if (!note.concealed) return note;
    var known = noteById(note.id);
    if (known && !known.concealed) {
      note = Object.assign({}, note, { text: known.text, concealed: false });
    }
    return note;
  }

  function remove(list, id) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].id === id) {
        list.splice(i, 1);
        return;
      }
    }
  }

  function apply(frame) {
    var d = frame.data;
    switch (frame.type) {
      case "session.updated":
        var before = state.session.phase;
        state.session = d;
        if (d.phase !== before) window.Live.announce(fmt(T.phase_now, { phase: d.phase_label }));
        break;
      case "participant.joined":
        d.here = true;
        upsert(state.participants, d);
        break;
      case "participant.removed":
        remove(state.participants, d.id);
        if (d.id === state.you.participant) showMessage(T.removed, true);
        break;
      case "presence.changed":
        state.participants.forEach(function (p) {
          if (p.id === d.participant) p.here = d.here;
        });
        break;
      case "presence.typing":
        var typing = $("[data-typing]");
        if (d.participant !== state.you.participant) {
          typing.textContent = d.typing ? fmt(T.typing, { name: d.name }) : "";
        }
        break;
      case "note.created":
        if (upsert(state.notes, keepText(d)) && d.author.id !== state.you.participant) {
          window.Live.announce(fmt(T.new_note, { name: d.author.name }));
        }
        break;
      case "note.updated":
      case "note.text": // a concealed note's text, on this viewer's private stream
        upsert(state.notes, keepText(d));
        break;
      case "notes.moved":
        // Coalesced drags: the latest position of each note (a newer version wins).
        d.notes.forEach(function (moved) {
          var note = noteById(moved.id);
          if (note && !(moved.version < note.version)) {
            note.x = moved.x;
            note.y = moved.y;
            note.version = moved.version;
          }
        });
        break;
      case "note.deleted":
      case "note.hidden":
        remove(state.notes, d.id || frame.id);
        break;
      case "notes.revealed":
        state.notes = d.notes;
        window.Live.announce(T.revealed);
        break;
      case "group.created":
      case "group.updated":
        upsert(state.groups, d);
        break;
      case "group.deleted":
        remove(state.groups, d.id);
        break;
      case "votes.changed":
        state.groups.forEach(function (g) {
          if (g.id === d.group) g.votes = d.votes;
        });
        break;
      case "outcome.created":
      case "outcome.promoted":
        upsert(state.outcomes, d);
        break;
    }
  }

  // -- drawing ---------------------------------------------------------------------------------

  function hidden(node, isHidden) {
    if (node) node.hidden = isHidden;
  }

  function postForm(liveAction, fields, attrs, url) {
    // A control drawn here is a real form too: posted plainly whenever the socket is not live.
    var form = el("form", Object.assign({ method: "post", action: url || actUrl, "data-live-action": liveAction }, attrs || {}));
    form.appendChild(el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf }));
    if (!url) form.appendChild(el("input", { type: "hidden", name: "action", value: liveAction }));
    Object.keys(fields).forEach(function (name) {
      form.appendChild(el("input", { type: "hidden", name: name, value: fields[name] }));
    });
    return form;
  }

  function noteItem(note) {
    var canDrag = joined() && phase() === "cluster";
    var li = el("li", {
      class: "note note--" + note.colour,
      id: "note-" + note.id,
      "data-note-id": note.id,
      draggable: canDrag ? "true" : null,
    });
    var text = el("p", { class: "note__text" });
    if (note.concealed) text.appendChild(el("span", { class: "note__hidden" }, T.hidden_note));
    else text.textContent = note.text;
    li.appendChild(text);
    li.appendChild(el("p", { class: "note__author" }, note.author.name));
    if (canDrag) {
      var form = postForm("note_move", { note: note.id, version: note.version }, { class: "note__move" });
      var selectId = "move-" + note.id;
      form.appendChild(el("label", { for: selectId }, T.move_to));
      var select = el("select", { id: selectId, name: "group" });
      var chosen = choosing[note.id]; // picked and not yet moved: keep it through the redraw
      select.appendChild(el("option", { value: "", selected: chosen === "" }, T.no_group));
      state.groups.forEach(function (g) {
        var selected = chosen === undefined ? g.id === note.group : String(g.id) === chosen;
        select.appendChild(el("option", { value: g.id, selected: selected }, g.name));
      });
      form.appendChild(select);
      form.appendChild(el("button", { type: "submit", class: "button button--small" }, T.move));
      li.appendChild(form);
    }
    var mine = note.author.id === state.you.participant || state.you.facilitator;
    if (joined() && mine && (phase() === "diverge" || phase() === "cluster")) {
      var del = postForm("note_delete", { note: note.id, version: note.version }, { class: "note__delete" });
      del.appendChild(el("button", { type: "submit", class: "button button--small button--secondary" }, T.delete_note));
      li.appendChild(del);
    }
    return li;
  }

  function voteForm(kind, group, label) {
    var form = postForm(kind, { group: group.id }, { class: "inline" });
    form.appendChild(el("button", { type: "submit", class: "button button--small" + (kind === "unvote" ? " button--secondary" : "") }, label));
    return form;
  }

  function renderBoard() {
    var columns = [];
    state.prompts.forEach(function (prompt) {
      var section = el("section", { class: "column", "data-prompt-id": prompt.id, "data-drop": "0", "aria-labelledby": "prompt-" + prompt.id });
      section.appendChild(el("h2", { id: "prompt-" + prompt.id }, prompt.text));
      var list = el("ul", { class: "notes" });
      state.notes.forEach(function (note) {
        if (note.group === null && note.prompt === prompt.id) list.appendChild(noteItem(note));
      });
      section.appendChild(list);
      columns.push(section);
    });
    var promptIds = state.prompts.map(function (p) {
      return p.id;
    });
    var loose = state.notes.filter(function (n) {
      return n.group === null && promptIds.indexOf(n.prompt) === -1;
    });
    if (loose.length) {
      var other = el("section", { class: "column", "data-drop": "0", "aria-labelledby": "prompt-none" });
      other.appendChild(el("h2", { id: "prompt-none" }, T.other_notes));
      var otherList = el("ul", { class: "notes" });
      loose.forEach(function (note) {
        otherList.appendChild(noteItem(note));
      });
      other.appendChild(otherList);
      columns.push(other);
    }
    var groups = [];
    if (!state.groups.length) groups.push(el("p", {}, T.no_groups));
    state.groups.forEach(function (group) {
      var section = el("section", { class: "group", id: "group-" + group.id, "data-group-id": group.id, "data-drop": group.id, "aria-labelledby": "group-" + group.id + "-name" });
      var heading = el("h3", { id: "group-" + group.id + "-name" }, group.name + " ");
      heading.appendChild(el("span", { class: "group__votes", "data-field": "votes" }, fmt(T.votes, { n: group.votes })));
      section.appendChild(heading);
      if (phase() === "vote" && joined()) {
        section.appendChild(voteForm("vote", group, fmt(T.vote_for, { name: group.name })));
        section.appendChild(voteForm("unvote", group, fmt(T.unvote, { name: group.name })));
      }
      var list = el("ul", { class: "notes" });
      state.notes.forEach(function (note) {
        if (note.group === group.id) list.appendChild(noteItem(note));
      });
      section.appendChild(list);
      groups.push(section);
    });
    var focused = document.activeElement && document.activeElement.id;
    $("[data-columns]").replaceChildren.apply($("[data-columns]"), columns);
    $("[data-groups]").replaceChildren.apply($("[data-groups]"), groups);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  function renderForms() {
    // The forms themselves are the server's; only whether they apply changes here.
    var s = state.session;
    hidden($(".note-form"), !(joined() && phase() === "diverge") || s.ended);
    hidden($(".group-form"), !(joined() && phase() === "cluster") || s.ended);
    var votesLeft = $("[data-votes-left]");
    if (votesLeft) {
      hidden(votesLeft, !(joined() && phase() === "vote"));
      votesLeft.textContent = fmt(T.votes_left, { n: state.you.votes_left });
    }
    var outcomeForm = $('form[data-live-action="outcome_add"]');
    if (outcomeForm) {
      hidden(outcomeForm, phase() !== "decide" || s.ended);
      var groupSelect = $("#outcome-group", outcomeForm);
      var current = groupSelect.value;
      groupSelect.replaceChildren(el("option", { value: "" }, T.no_group));
      state.groups.forEach(function (g) {
        groupSelect.appendChild(el("option", { value: g.id, selected: String(g.id) === current }, g.name + " (" + g.votes + ")"));
      });
    }
    hidden($(".codesign__controls"), s.ended || !state.you.facilitator);
    // Reveal only while something is concealed: hide_notes, not yet revealed, notes exist.
    hidden($('form[data-live-action="reveal"]'), !(s.hide_notes && !s.revealed && state.notes.length));
  }

  function renderHeader() {
    var s = state.session;
    $('[data-field="phase_label"]').textContent = s.phase_label;
    root.querySelectorAll("[data-phase]").forEach(function (li) {
      var current = li.getAttribute("data-phase") === s.phase;
      li.classList.toggle("is-current", current);
      if (current) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
    hidden($('[data-field="locked"]'), !s.locked);
    root.querySelectorAll('form[data-live-action="phase"]').forEach(function (form) {
      var back = form.querySelector('[name="to"]').value === "back";
      form.querySelector("button").disabled = s.ended || (back && s.phase === "lobby");
    });
    var lockLabel = $("[data-lock-label]");
    if (lockLabel) lockLabel.textContent = s.locked ? T.unlock : T.lock;
    var lockValue = $("[data-lock-value]");
    if (lockValue) lockValue.value = s.locked ? "false" : "true";
    deadline = s.timer.running ? Date.now() + s.timer.remaining * 1000 : null;
    tick();
    var people = $("[data-participants]");
    people.replaceChildren();
    state.participants.forEach(function (p) {
      var li = el("li", { "data-participant-id": p.id, class: p.here ? "is-here" : null }, p.name);
      if (p.here) li.appendChild(el("span", { class: "visually-hidden" }, " " + T.here));
      people.appendChild(li);
    });
    if (!state.participants.length) people.appendChild(el("li", { class: "people__none" }, T.no_participants));
    var outcomes = $("[data-outcomes]");
    outcomes.replaceChildren();
    state.outcomes.forEach(function (o) {
      var li = el("li", { "data-outcome-id": o.id }, o.title);
      if (o.backlog_item) {
        // Facilitators follow the staff page; others the public roadmap once it is public.
        var href = state.you.facilitator ? o.backlog_staff_url : o.backlog_url;
        li.appendChild(document.createTextNode(" · "));
        li.appendChild(href ? el("a", { href: href }, T.in_backlog) : el("span", {}, T.in_backlog));
      } else if (state.you.facilitator) {
        li.appendChild(document.createTextNode(" "));
        var form = postForm("outcome_promote", { outcome: o.id }, { class: "inline" }, promoteUrl.replace("/0/", "/" + o.id + "/"));
        form.appendChild(el("button", { type: "submit", class: "button button--small" }, T.add_to_backlog));
        li.appendChild(form);
      }
      outcomes.appendChild(li);
    });
    if (!state.outcomes.length) outcomes.appendChild(el("li", {}, T.no_outcomes));
  }

  function tick() {
    var timer = $("[data-timer]");
    if (!timer || !state) return;
    var s = state.session.timer;
    if (deadline !== null) {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      timer.textContent = fmt(T.timer, { m: Math.floor(left / 60), s: ("0" + (left % 60)).slice(-2) });
    } else if (s.remaining !== null) {
      timer.textContent = T.timer_paused;
    } else {
      timer.textContent = "";
    }
  }

  function render() {
    renderHeader();
    renderForms();
    renderBoard();
  }

  window.setInterval(tick, 1000);
})();
