// The keyboard moderation console (templates/admin/comments/comment/console.html).
// Without this script every button is a plain form. With it: j/k move, a/r/s decide the comment
// in focus, z undoes, u opens the commenter, ? shows the keys; the same forms are sent with
// fetch, one at a time (so the counts shown are those of the last answer), and the next rows
// are fetched when the list runs low. Rejecting asks why first, in a dialog: a digit picks a
// reason, Enter (or a tap on the reason) rejects, Esc cancels.
"use strict";

(() => {
  const root = document.getElementById("console");
  if (!root) return;
  const list = root.querySelector(".console-list");
  const status = root.querySelector(".console-status");
  const undoButton = root.querySelector(".console-undo");
  const keys = root.querySelector(".console-keys");
  const empty = root.querySelector(".console-empty");
  const moreLink = root.querySelector(".console-more");
  const picker = root.querySelector(".console-reject");
  const note = picker.querySelector("#console-reject-note");
  const picked = picker.querySelector(".console-reject-picked");
  const KEY_STATUS = { a: "approved", s: "spam" }; // r asks why first (askWhy).
  // Rows that fetch the next batch when fewer than this many follow the one in focus.
  const LOW_WATER = 15;

  let moreUrl = list.dataset.more;
  let loading = null;
  let sequence = 0; // The queue's order of every row shown, for putting an undone one back.
  let sending = Promise.resolve(); // Decisions go to the server one after the other.
  const undoStack = []; // {row, from, to, failed}: this page's decisions, newest last.

  const rows = () => [...list.querySelectorAll(".console-row")];
  const current = () => list.querySelector('.console-row[aria-current="true"]');

  function number(rowsToNumber) {
    for (const row of rowsToNumber) row.dataset.seq = sequence++;
  }

  function announce(message) {
    status.textContent = message;
  }

  function focusRow(row) {
    for (const other of document.querySelectorAll('.console-row[aria-current="true"]')) {
      other.removeAttribute("aria-current");
    }
    if (!row) return;
    row.setAttribute("aria-current", "true");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
    maybeLoadMore();
  }

  function move(step) {
    const all = rows();
    const index = all.indexOf(current());
    const next = all[Math.min(Math.max(index + step, 0), all.length - 1)];
    if (next) focusRow(next);
  }

  function showCounts(counts) {
    for (const [queue, count] of Object.entries(counts || {})) {
      const badge = root.querySelector(`[data-count="${queue}"]`);
      if (badge) badge.textContent = count;
    }
  }

  function refreshEmpty() {
    const none = rows().length === 0;
    empty.hidden = !(none && !moreUrl);
    undoButton.hidden = undoStack.length === 0;
  }

  function maybeLoadMore() {
    if (!moreUrl || loading) return;
    const all = rows();
    const index = Math.max(all.indexOf(current()), 0);
    if (all.length - index - 1 >= LOW_WATER) return;
    const url = new URL(moreUrl, location.href);
    url.searchParams.set("fragment", "1");
    loading = fetch(url, { credentials: "same-origin" })
      .then((response) => {
        // Redirected: signed out, and this is the login page, not rows.
        if (!response.ok || response.redirected) throw new Error(response.statusText);
        return response.text();
      })
      .then((html) => {
        const holder = document.createElement("template");
        holder.innerHTML = html;
        const fresh = [...holder.content.querySelectorAll(".console-row")];
        // A row already here (an undone decision puts one back) is not added twice.
        const added = fresh.filter((row) => !document.getElementById(row.id));
        number(added);
        list.append(...added);
        const last = fresh[fresh.length - 1];
        if (last) {
          url.searchParams.set("after", last.dataset.pk);
          url.searchParams.delete("fragment");
          moreUrl = url.pathname + url.search;
        } else {
          moreUrl = "";
        }
        if (moreLink) {
          if (moreUrl) moreLink.href = moreUrl;
          else moreLink.parentElement.hidden = true;
        }
        if (!current() && rows().length) focusRow(rows()[0]);
        refreshEmpty();
      })
      .catch(() => announce("Could not fetch more comments: reload the page."))
      .finally(() => {
        loading = null;
        if (current()) maybeLoadMore();
      });
  }

  function post(form, fields) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    const send = () =>
      fetch(location.pathname, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then((response) =>
        response.json().then(
          (answer) => ({ ok: response.ok, code: response.status, answer }),
          // Not our JSON: the site could not answer (a 503 page while the database is busy or
          // away) or this is the login page (signed out). Either way nothing was decided.
          () => ({
            ok: false,
            code: response.status,
            answer: {
              message:
                response.status >= 500
                  ? "Nothing was decided: the site could not answer. Try again in a moment."
                  : "Nothing was decided: reload the page (signed out?).",
            },
          }),
        ),
      );
    sending = sending.then(send, send);
    return sending;
  }

  function canBecome(row, to) {
    if (row.querySelector(`button[value="${to}"]`)) return true;
    announce(`The comment by ${row.dataset.name} is already ${row.dataset.status}.`);
    return false;
  }

  function decide(row, to, why = {}) {
    if (!row || !canBecome(row, to)) return;
    const from = row.dataset.status;
    const all = rows();
    const next = all[all.indexOf(row) + 1] || all[all.indexOf(row) - 1];
    row.remove();
    row.removeAttribute("aria-current");
    focusRow(next);
    // On the stack at once, so z right after a key undoes it (the undo is sent after it).
    const decision = { row, from, to, failed: false };
    undoStack.push(decision);
    refreshEmpty();
    const failed = (message, stillWaiting) => {
      decision.failed = true;
      undoStack.splice(undoStack.indexOf(decision), 1);
      announce(message);
      if (stillWaiting) putBack(row);
      refreshEmpty();
    };
    const fields = { comment: row.dataset.pk, status: to, expected: from, ...why };
    post(row.querySelector("form"), fields).then(
      ({ ok, code, answer }) => {
        showCounts(answer.counts);
        if (ok) announce(answer.message);
        // Decided by someone else (409) or gone (404): it leaves the list all the same.
        else failed(answer.message, code !== 409 && code !== 404);
      },
      () => failed("The decision was not sent: check the connection.", true),
    );
  }

  function putBack(row) {
    const later = rows().find((other) => Number(other.dataset.seq) > Number(row.dataset.seq));
    list.insertBefore(row, later || null);
    focusRow(row);
    refreshEmpty();
  }

  function undo() {
    const last = undoStack.pop();
    if (!last) {
      announce("Nothing to undo.");
      return;
    }
    refreshEmpty();
    const fields = { comment: last.row.dataset.pk, status: last.from, expected: last.to };
    post(last.row.querySelector("form"), fields).then(
      ({ ok, answer }) => {
        if (last.failed) return; // The decision itself never happened: nothing to put back.
        showCounts(answer.counts);
        if (ok) {
          putBack(last.row);
          announce(`Undone: the comment by ${last.row.dataset.name} is ${last.from} again.`);
        } else {
          announce(answer.message);
        }
      },
      () => {
        undoStack.push(last);
        refreshEmpty();
        announce("The undo was not sent: check the connection.");
      },
    );
  }

  // The reason picker: the dialog in the page, for the row it was opened on.
  let rejecting = null;
  const reasonButtons = () => [...picker.querySelectorAll("button[data-reason]")];
  const pickedButton = () => picker.querySelector("button[data-reason].is-picked");

  function askWhy(row) {
    if (!row || !canBecome(row, "rejected")) return;
    rejecting = row;
    picker.querySelector(".console-reject-name").textContent = row.dataset.name;
    for (const button of reasonButtons()) button.classList.remove("is-picked");
    if (note) note.value = "";
    if (picked) picked.textContent = "";
    picker.showModal();
    // The dialog itself, not its first reason: Enter alone must not reject with a default.
    picker.focus();
  }

  function pick(button) {
    for (const other of reasonButtons()) other.classList.toggle("is-picked", other === button);
    button.focus();
    picked.textContent = `${button.textContent.replace(/^\d+\s*/, "")}: Enter rejects the comment.`;
  }

  function reject(button) {
    if (!button) {
      if (picked) picked.textContent = "Pick a reason first: press its number or tap it.";
      return;
    }
    const row = rejecting;
    rejecting = null;
    picker.close();
    decide(row, "rejected", { reason: button.dataset.reason, note: note.value });
  }

  picker.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const onButton = event.target.closest("button");
    if (event.key === "Enter" && !onButton) {
      event.preventDefault();
      reject(pickedButton());
    } else if (/^[1-9]$/.test(event.key) && event.target !== note) {
      const button = picker.querySelector(`button[data-key="${event.key}"]`);
      if (button) pick(button);
      event.preventDefault();
    }
  });

  // A click, a tap, or Enter or Space on a reason rejects with it at once.
  picker.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.reason) reject(button);
    else if (button.matches(".console-reject-cancel")) picker.close();
  });

  // Closed without a reason (Esc, Cancel): nothing decided, the comment keeps the focus.
  picker.addEventListener("close", () => {
    if (!rejecting) return;
    const row = rejecting;
    rejecting = null;
    focusRow(row);
    announce(`Not rejected: the comment by ${row.dataset.name} is still ${row.dataset.status}.`);
  });

  function openCommenter(row) {
    if (row) window.open(row.dataset.commenter, "_blank", "noopener");
  }

  const typing = (target) =>
    target.closest &&
    target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])");

  document.addEventListener("keydown", (event) => {
    if (picker.open) return; // Its own keys (above).
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key === "r") askWhy(current());
    else if (Object.hasOwn(KEY_STATUS, key)) decide(current(), KEY_STATUS[key]);
    else if (key === "z") undo();
    else if (key === "u") openCommenter(current());
    else if (key === "?") keys.open = !keys.open;
    else if (key === "Escape" && keys.open) keys.open = false;
    else return;
    event.preventDefault();
  });

  // The buttons (a tap on a phone) decide through the same path as the keys.
  list.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button || button.name !== "status") return;
    event.preventDefault();
    const row = event.target.closest(".console-row");
    if (button.value === "rejected") askWhy(row);
    else decide(row, button.value);
  });

  // A click or tap anywhere else on a comment puts it in focus.
  list.addEventListener("click", (event) => {
    const row = event.target.closest(".console-row");
    if (row && !event.target.closest("button, a") && row !== current()) focusRow(row);
  });

  undoButton.addEventListener("click", undo);

  number(rows());
  const target = location.hash && document.getElementById(location.hash.slice(1));
  focusRow(target && target.matches(".console-row") ? target : rows()[0]);
  refreshEmpty();
})();
