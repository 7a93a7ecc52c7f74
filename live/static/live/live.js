// Follows a live story on its page (templates/live/tags/stream.html) and under the front page's
// lead (templates/live/tags/key_events.html). Every second it asks for the story's version, a
// tiny answer from the cache (live/polls.py, a 304 while nothing changed); when the version
// moves, the answer carries what changed in the last few versions (a page further behind
// fetches what changed from the one shown to the new one): edits, deletions, pins and the key
// events apply in place; new entries wait behind a "N new updates" button, announced politely
// and never taking focus, so nothing moves under the reader's eyes. Without this script every
// entry is on the page at each reload.
"use strict";

(() => {
  const POLL_MS = 1000;
  const HIDDEN_POLL_MS = 5000; // A tab in the background asks less often.
  const MAX_BACKOFF_MS = 30000;

  function follow(root) {
    let version = Number(root.dataset.liveVersion);
    const pollUrl = root.dataset.livePoll;
    const changesUrl = root.dataset.liveChanges;
    const summary = root.querySelector("[data-live-summary]");
    const pinnedList = root.querySelector("[data-live-pinned]");
    const streamList = root.querySelector("[data-live-stream]");
    const showButton = root.querySelector("[data-live-show]");
    const held = new Map(); // id -> element: new entries the reader has not asked for yet.
    let pinned = [];
    let failures = 0;

    const entry = (id) => root.querySelector(`#update-${id}`);

    function parse(html) {
      const template = document.createElement("template");
      template.innerHTML = html.trim();
      return template.content.firstElementChild;
    }

    function place(element) {
      const id = Number(element.dataset.id);
      if (pinned.includes(id)) {
        const after = [...pinnedList.children].find(
          (other) => pinned.indexOf(Number(other.dataset.id)) > pinned.indexOf(id),
        );
        pinnedList.insertBefore(element, after || null);
        return;
      }
      const placeholder = streamList.querySelector("[data-live-empty]");
      if (placeholder) placeholder.remove();
      // Newest first; two entries posted in the same second are ordered by id, as the server
      // orders them.
      const t = Number(element.dataset.t);
      const older = [...streamList.children].find((other) => {
        if (other === element) return false;
        const otherT = Number(other.dataset.t);
        return otherT < t || (otherT === t && Number(other.dataset.id) < id);
      });
      streamList.insertBefore(element, older || null);
    }

    // Told again of an entry it shows as it is (the poll's answer repeats the last few
    // versions' changes): leave it, and the reader's focus on it, alone.
    function unchanged(shown, fresh) {
      const copy = shown.cloneNode(true);
      copy.removeAttribute("tabindex"); // Set when the reader was taken to it.
      return copy.outerHTML === fresh.outerHTML;
    }

    function announce() {
      if (!showButton) return;
      const count = held.size;
      showButton.hidden = count === 0;
      showButton.textContent = count === 1 ? "1 new update" : `${count} new updates`;
    }

    function apply(data) {
      if (summary && summary.innerHTML !== data.summary) summary.innerHTML = data.summary;
      if (!streamList) return; // The front page shows the key events only.
      if (data.reload) {
        showButton.hidden = false;
        showButton.textContent = "New updates: reload the page";
        showButton.dataset.reload = "";
        return;
      }
      pinned = data.pinned;
      for (const id of data.deleted) {
        held.delete(id);
        entry(id)?.remove();
      }
      for (const { id, html } of data.entries) {
        const fresh = parse(html);
        const shown = entry(id);
        if (shown) {
          if (unchanged(shown, fresh)) continue;
          shown.replaceWith(fresh);
          place(fresh);
        } else {
          held.set(id, fresh);
        }
      }
      // Pinned or unpinned with no other change: move it where it now belongs.
      for (const element of [...pinnedList.children, ...streamList.children]) {
        const isPinned = pinned.includes(Number(element.dataset.id));
        if (element.dataset.id && isPinned !== (element.parentElement === pinnedList)) {
          place(element);
        }
      }
      announce();
    }

    if (showButton) {
      showButton.addEventListener("click", () => {
        if ("reload" in showButton.dataset) {
          window.location.reload();
          return;
        }
        const shown = [...held.values()];
        held.clear();
        for (const element of shown) place(element);
        announce();
        // Asked for by the reader: take them to the newest of what they asked for.
        const newest = shown.sort((a, b) => Number(b.dataset.t) - Number(a.dataset.t))[0];
        if (newest) {
          newest.tabIndex = -1;
          newest.focus({ preventScroll: false });
        }
      });
    }

    async function check() {
      const response = await fetch(pollUrl, { cache: "no-cache", credentials: "omit" });
      if (!response.ok) throw new Error(`poll ${response.status}`);
      const state = await response.json();
      if (state.version !== version) {
        // The answer carries the changes from a few versions back: enough for a page that
        // far behind (nearly every page, after a post). Only one further behind asks again.
        let data = state.changes;
        const inline = data && data.since <= version && version < data.version;
        if (!inline) {
          // The same address for every page at the same version: answered from the cache.
          const url = `${changesUrl}?since=${version}&to=${state.version}`;
          const answer = await fetch(url, { credentials: "omit" });
          if (!answer.ok) throw new Error(`changes ${answer.status}`);
          data = await answer.json();
        }
        apply(data);
        version = data.version;
      }
      return state.running;
    }

    async function loop() {
      let running = true;
      try {
        running = await check();
        failures = 0;
      } catch {
        failures += 1;
      }
      if (!running) return; // Coverage ended: the stream is frozen.
      const pause = document.hidden ? HIDDEN_POLL_MS : POLL_MS;
      window.setTimeout(loop, Math.min(MAX_BACKOFF_MS, pause * 2 ** failures));
    }

    window.setTimeout(loop, POLL_MS);
  }

  for (const root of document.querySelectorAll("[data-live-story][data-live-running]")) {
    follow(root);
  }
})();
