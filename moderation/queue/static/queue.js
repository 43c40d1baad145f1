/* Moderator queue: keyboard decisions, selection, the keys box and live queue counts. No inline script.
   The decisions are the pages' buttons: each carries its value, key and needs from the server's decision
   vocabulary (data-verb, data-key, data-needs-reason, data-publishes), so nothing here names one. */
(function () {
  "use strict";

  var keysDialog = document.getElementById("keys");
  var list = document.querySelector("[data-list]");
  var rows = list ? Array.prototype.slice.call(list.querySelectorAll(".item")) : [];
  var bulk = document.getElementById("bulk");
  var decideForm = document.getElementById("decide-form");
  var current = rows.length ? 0 : -1;
  var tickedForReject = null;  // the row `r` ticked itself: Esc out of the reason list unticks it again
  var editText = document.querySelector("textarea[data-edit-text]");

  function typingIn(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    return tag === "INPUT" && ["checkbox", "radio", "button", "submit"].indexOf(el.type) < 0;
  }

  function toggleKeys() {
    if (!keysDialog) return;
    if (keysDialog.open) keysDialog.close(); else keysDialog.showModal();
  }

  function checkboxOf(row) { return row ? row.querySelector('input[type="checkbox"][name="item"]') : null; }

  function selectedBoxes() {
    return rows.map(checkboxOf).filter(function (box) { return box && box.checked; });
  }

  function refreshSelection() {
    rows.forEach(function (row) {
      var box = checkboxOf(row);
      row.classList.toggle("selected", !!(box && box.checked));
    });
    var out = document.querySelector("[data-selected-count]");
    var n = selectedBoxes().length;
    if (out) out.textContent = n ? n + " selected" : "";
    var all = document.querySelector("[data-select-all]");
    if (all) all.checked = n > 0 && n === rows.length;
    // The bulk bar shows only while something is ticked.
    if (bulk) { if (n) bulk.removeAttribute("data-idle"); else bulk.setAttribute("data-idle", ""); }
  }

  function setCurrent(index, focus) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    if (focus) {
      rows[current].focus({ preventScroll: true });
      rows[current].scrollIntoView({ block: "nearest" });
    }
  }

  function choiceButton(form, selector) {
    return form ? form.querySelector("button[data-verb]" + selector) : null;
  }

  function submitChoice(form, button) {
    if (!button) return;
    if (form === bulk && !selectedBoxes().length) {
      var box = checkboxOf(rows[current]);
      if (!box) return;
      box.checked = true;
      refreshSelection();
    }
    if (typeof form.requestSubmit === "function") form.requestSubmit(button); else button.click();
  }

  function startReject(form) {
    if (!form) return;
    if (form === bulk && !selectedBoxes().length) {
      var box = checkboxOf(rows[current]);
      if (box) { box.checked = true; tickedForReject = box; refreshSelection(); }
    }
    var reason = form.querySelector("select[data-reason]");
    if (reason) reason.focus();
  }

  function rowOf(el) {
    var row = el && el.closest ? el.closest(".item") : null;
    return row && rows.indexOf(row) >= 0 ? row : null;
  }

  function isTick(el) {
    return !!el && el.tagName === "INPUT" && (el.type === "checkbox" || el.type === "radio");
  }

  // The current comment is the one with focus, or the highlighted one when focus is on no row (just after load).
  function openCurrent(ev) {
    if (!rows.length) return;
    var row = rowOf(ev.target);
    var onPage = !ev.target || ev.target === document.body || ev.target === document.documentElement ||
      (ev.target.id === "main");
    if (row && (ev.target === row || isTick(ev.target))) {
      ev.preventDefault();
      window.location.assign(row.dataset.url);
    } else if (!row && onPage) {
      ev.preventDefault();
      window.location.assign(rows[current].dataset.url);
    }
  }

  function follow(which) {
    var link = document.querySelector('[data-nav="' + which + '"]');
    if (link) window.location.assign(link.href);
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var target = ev.target;
    if (target && target.matches && target.matches("select[data-reason]") && ev.key === "Enter" && target.value) {
      ev.preventDefault();
      submitChoice(target.form, choiceButton(target.form, "[data-needs-reason]"));
      return;
    }
    if (ev.key === "Enter" && isTick(target)) {
      // Enter on a tick box would submit the bulk form implicitly: open the row's comment instead (nothing else).
      ev.preventDefault();
      if (rowOf(target)) openCurrent(ev);
      return;
    }
    if (ev.key === "Escape" && typingIn(target)) {
      if (tickedForReject && target.matches && target.matches("select[data-reason]")) {
        tickedForReject.checked = false;
        refreshSelection();
      }
      tickedForReject = null;
      target.blur();
      return;
    }
    if (typingIn(target)) return;
    if (keysDialog && keysDialog.open && ev.key !== "?") return;
    var form = bulk || decideForm;
    switch (ev.key) {
      case "?": ev.preventDefault(); toggleKeys(); break;
      case "j":
        if (rows.length) setCurrent(current + 1, true); else follow("next");
        break;
      case "k":
        if (rows.length) setCurrent(current - 1, true); else follow("prev");
        break;
      case "Enter":
      case "o":
        openCurrent(ev);
        break;
      case "x": {
        var box = checkboxOf(rows[current]);
        if (box) { ev.preventDefault(); box.checked = !box.checked; refreshSelection(); }
        break;
      }
      default: {
        var choice = /^[a-z]$/.test(ev.key) ? choiceButton(form, '[data-key="' + ev.key + '"]') : null;
        if (!choice) break;
        ev.preventDefault();
        if (choice.hasAttribute("data-needs-reason")) startReject(form); else submitChoice(form, choice);
        break;
      }
    }
  });

  rows.forEach(function (row, i) {
    row.addEventListener("click", function () { setCurrent(i, false); });
    // Tabbing to a row's tick box or links makes it the current row: shortcuts act where focus is.
    row.addEventListener("focusin", function () { setCurrent(i, false); });
    var box = checkboxOf(row);
    if (box) box.addEventListener("change", refreshSelection);
  });
  var selectAll = document.querySelector("[data-select-all]");
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      rows.forEach(function (row) { var box = checkboxOf(row); if (box) box.checked = selectAll.checked; });
      refreshSelection();
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-action="show-keys"]'), function (button) {
    button.addEventListener("click", toggleKeys);
  });
  setCurrent(current, false);
  refreshSelection();

  // An edit not yet saved is not what Approve publishes: say so before publishing the original text.
  if (decideForm && editText) {
    decideForm.addEventListener("submit", function (ev) {
      var publishes = !!ev.submitter && ev.submitter.hasAttribute("data-publishes");
      if (publishes && editText.value !== editText.defaultValue &&
          !window.confirm("Your edit of the text is not saved. Approve the original text as it is?")) {
        ev.preventDefault();
      }
    });
  }

  // "The reader will see: …": the words typed for the commenter, else the chosen guideline's reader text.
  Array.prototype.forEach.call(document.querySelectorAll("[data-reader-preview]"), function (preview) {
    var form = preview.closest("form");
    var reason = form && form.querySelector("select[data-reason]");
    var own = form && form.querySelector("[data-reader-message]");
    var out = preview.querySelector("[data-reader-text]");
    if (!reason || !out) return;
    var update = function () {
      var option = reason.options[reason.selectedIndex];
      var typed = own ? own.value.trim() : "";
      var text = typed || (option && option.value ? option.getAttribute("data-reader") : "");
      preview.hidden = !text && !(option && option.value === "other");
      out.textContent = text || "no message: the site shows its own notice";
    };
    reason.addEventListener("change", update);
    if (own) own.addEventListener("input", update);
    update();
  });

  // The live list: rows someone else decided are greyed out (they stay where they are), and comments that came in
  // are offered, not inserted, so nothing jumps under the cursor.
  var liveNote = document.querySelector("[data-live-note]");
  function markGone(id) {
    var row = list && list.querySelector('.item[data-id="' + id + '"]');
    if (!row || row.classList.contains("gone")) return;
    row.classList.add("gone");
    row.setAttribute("aria-disabled", "true");
    Array.prototype.forEach.call(row.querySelectorAll("input, select, button"), function (el) {
      if (el.type === "checkbox") el.checked = false;
      el.disabled = true;
    });
    var note = document.createElement("span");
    note.className = "badge gone-note";
    note.textContent = "decided by someone else";
    var meta = row.querySelector(".meta");
    if (meta) meta.insertBefore(note, meta.firstChild);
    refreshSelection();
  }
  function pollList() {
    if (!list || !list.dataset.live || !window.fetch) return;
    var ids = rows.map(function (row) { return row.dataset.id; }).join(",");
    var url = list.dataset.live + (list.dataset.live.indexOf("?") < 0 ? "?" : "&") + "shown=" + ids;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok && !response.redirected ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        state.gone.forEach(markGone);
        if (liveNote) {
          var button = liveNote.querySelector("button");
          button.textContent = state.new === 1 ? "1 new comment: show it" : state.new + " new comments: show them";
          liveNote.hidden = !state.new;
        }
      })
      .catch(function () { /* offline for a moment: try again at the next poll */ });
  }
  if (liveNote) {
    liveNote.querySelector("button").addEventListener("click", function () { window.location.reload(); });
  }

  var countsUrl = document.querySelector('meta[name="counts-url"]');
  if (countsUrl && window.fetch) {
    var poll = function () {
      fetch(countsUrl.content, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.redirected || response.status === 401 || response.status === 403) {
            signedOut();
            return null;
          }
          return response.ok ? response.json() : null;
        })
        .then(function (counts) {
          if (!counts) return;
          Object.keys(counts).forEach(function (name) {
            Array.prototype.forEach.call(document.querySelectorAll('[data-count="' + name + '"]'), function (el) {
              el.textContent = String(counts[name]);
            });
          });
        })
        .catch(function () { /* offline for a moment: keep the last numbers */ });
    };
    var timer = window.setInterval(function () { poll(); pollList(); }, 20000);
    // The sign-in ended (expired, or signed out elsewhere): the numbers stop; say so instead of freezing silently.
    var signedOut = function () {
      window.clearInterval(timer);
      var main = document.getElementById("main");
      if (!main || document.querySelector("[data-signed-out]")) return;
      var note = document.createElement("p");
      note.className = "flash flash-error";
      note.setAttribute("role", "alert");
      note.setAttribute("data-signed-out", "");
      note.textContent = "Your sign-in has ended: the counts no longer update. Reload the page to sign in again.";
      main.insertBefore(note, main.firstChild);
    };
  }
})();
