// The keyboard moderation console (templates/admin/comments/comment/console.html).
// Without this script every button is a plain form. With it: j/k move, a/r/s decide the comment
// in focus, z undoes, u opens the commenter, ? shows the keys; the same forms are sent with
// fetch, one at a time (so the counts shown are those of the last answer), and the next rows
// are fetched when the list runs low.
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
  const KEY_STATUS = { a: "approved", r: "rejected", s: "spam" };
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
          // Not our JSON (signed out: the login page): nothing was decided.
          () => ({
            ok: false,
            code: response.status,
            answer: { message: "Nothing was decided: reload the page (signed out?)." },
          }),
        ),
      );
    sending = sending.then(send, send);
    return sending;
  }

  function decide(row, to) {
    if (!row) return;
    const from = row.dataset.status;
    if (!row.querySelector(`button[value="${to}"]`)) {
      announce(`The comment by ${row.dataset.name} is already ${from}.`);
      return;
    }
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
    post(row.querySelector("form"), { comment: row.dataset.pk, status: to, expected: from }).then(
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

  function openCommenter(row) {
    if (row) window.open(row.dataset.commenter, "_blank", "noopener");
  }

  const typing = (target) =>
    target.closest &&
    target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])");

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
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
    decide(event.target.closest(".console-row"), button.value);
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
