// MonsterMash's one script. Every page works without it; it adds what only a script can: dropping files on the
// form, the mix's value as the slider moves, "Uploading…" while the form is sent, live progress on a mash page, and
// counting plays on the play counter.
(function () {
  "use strict";

  var body = document.body;
  // Where the site mounts its play counter; no attribute when it mounts none, and then plays are not counted.
  var counter = body.dataset.counter;

  // The mix slider shows its value, written as the server writes it (0.9, 0.05, 1).
  document.querySelectorAll("input[type=range]").forEach(function (slider) {
    var output = document.querySelector('output[for="' + slider.id + '"]');
    if (!output) return;
    var show = function () { output.textContent = String(Math.round(Number(slider.value) * 1000) / 1000); };
    slider.addEventListener("input", show);
    show();
  });

  // A file dropped anywhere but on a drop zone would make the browser open it, and the form would be lost.
  ["dragover", "drop"].forEach(function (type) {
    document.addEventListener(type, function (event) { event.preventDefault(); });
  });

  // Drop zones: a file dropped on the zone goes into its file input, as if chosen. One input holds one song, so of
  // several files dropped at once only the first is taken.
  document.querySelectorAll("[data-drop]").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    var name = zone.querySelector(".drop-name");
    if (!input) return;
    var showName = function () {
      if (name) name.textContent = input.files && input.files.length ? input.files[0].name : "";
      zone.classList.toggle("has-file", !!(input.files && input.files.length));
    };
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "dragend", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var dropped = event.dataTransfer && event.dataTransfer.files;
      if (!dropped || !dropped.length) return;
      var first = new DataTransfer();
      first.items.add(dropped[0]);
      input.files = first.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    input.addEventListener("change", showName);
    showName();
  });

  // Sending songs takes a while: one click sends the form once, and the button says what is happening.
  document.querySelectorAll("form[enctype='multipart/form-data']").forEach(function (form) {
    var button = form.querySelector("button[type=submit]");
    if (!button) return;
    var label = button.textContent;
    form.addEventListener("submit", function () {
      if (button.disabled) return;
      // After the submit event has gone out, so that the form is still sent.
      setTimeout(function () {
        button.disabled = true;
        button.textContent = "Uploading…";
      }, 0);
    });
    // Back to this page from the next one (the browser's page cache): the form can be sent again.
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.textContent = label;
    });
  });

  // Plays: the page shows the database's count; the counter holds the plays not yet folded into it. When the
  // counter folds them in, the page's database count is behind until reload: never show less than was shown.
  function songUrl(id) { return counter + "/song/" + encodeURIComponent(id); }

  function showPlays(id, live) {
    document.querySelectorAll('.plays[data-song-id="' + id + '"]').forEach(function (span) {
      var shown = Number(span.textContent) || 0;
      var count = Math.max(shown, Number(span.dataset.dbCount || 0) + live);
      span.textContent = String(count);
      var unit = span.parentNode.querySelector(".plays-unit");
      if (unit) unit.textContent = count === 1 ? "play" : "plays";
    });
  }

  function askCounter(id, method) {
    return fetch(songUrl(id), { method: method, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(method + " " + songUrl(id) + ": " + response.status);
        return response.json();
      })
      .then(function (answer) { if (answer && typeof answer.count === "number") showPlays(id, answer.count); })
      .catch(function (error) {
        // The count on the page stays as it was; whoever runs the site finds why in the console.
        if (window.console) console.warn("MonsterMash could not count a play:", error);
      });
  }

  // One play is from the first "play" until the song ends: pausing and going on is the same play.
  function countPlays(audio) {
    if (counter === undefined || audio.dataset.counted !== undefined) return;
    audio.dataset.counted = "";
    var playing = false;
    audio.addEventListener("play", function () {
      if (playing) return;
      playing = true;
      askCounter(audio.dataset.songId, "POST");
    });
    audio.addEventListener("ended", function () { playing = false; });
  }

  document.querySelectorAll("audio[data-song-id]").forEach(countPlays);
  if (counter !== undefined) {
    var asked = {};
    document.querySelectorAll(".plays[data-song-id]").forEach(function (span) {
      var id = span.dataset.songId;
      if (asked[id]) return;
      asked[id] = true;
      askCounter(id, "GET");
    });
  }

  // A mash page: follow the mash by server-sent events, or by polling where they are missing or fail.
  var mash = document.getElementById("mash");
  if (!mash || mash.dataset.status === "done" || mash.dataset.status === "failed") return;
  var bar = document.getElementById("mash-progress");
  var stage = document.getElementById("mash-stage");
  var percent = document.getElementById("mash-percent");
  var result = document.getElementById("mash-result");
  var finished = false;

  function showProgress(state) {
    mash.dataset.status = state.status;
    bar.value = state.percent;
    bar.textContent = state.percent + "%";
    if (stage.textContent !== state.stage) stage.textContent = state.stage;
    percent.textContent = state.percent + "%";
  }

  function showDone(done) {
    if (finished) return;
    finished = true;
    showProgress({ status: "done", stage: "done", percent: 100 });
    var player = document.createElement("div");
    player.className = "player";
    var audio = document.createElement("audio");
    audio.id = "mash-audio";
    audio.controls = true;
    audio.preload = "metadata";
    audio.src = done.audioUrl;
    audio.dataset.songId = done.songId;
    var plays = document.createElement("span");
    plays.className = "plays-line";
    var count = document.createElement("span");
    count.className = "plays";
    count.dataset.songId = done.songId;
    count.dataset.dbCount = "0";
    count.textContent = "0";
    var unit = document.createElement("span");
    unit.className = "plays-unit";
    unit.textContent = "plays";
    plays.append(count, " ", unit);
    player.append(audio, plays);
    var download = document.createElement("a");
    download.id = "mash-download";
    download.className = "button";
    download.href = done.downloadUrl;
    download.setAttribute("download", "");
    download.textContent = "Download";
    result.replaceChildren(player, download);
    countPlays(audio);
  }

  function showFailed(failed) {
    if (finished) return;
    finished = true;
    mash.dataset.status = "failed";
    stage.textContent = "failed";
    var error = document.createElement("p");
    error.id = "mash-error";
    error.className = "error";
    error.setAttribute("role", "alert");
    error.textContent = failed.error || "The mash failed.";
    result.replaceChildren(error);
  }

  var polling = false;
  function poll() {
    if (finished || polling) return;
    polling = true;
    (function next() {
      fetch(mash.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (state.status === "done") showDone(state);
          else if (state.status === "failed" || state.error && !state.status) showFailed(state);
          else showProgress(state);
        })
        .catch(function () { /* try again below */ })
        .then(function () { if (!finished) setTimeout(next, 1000); });
    })();
  }

  if (!window.EventSource) {
    poll();
    return;
  }
  var events = new EventSource(mash.dataset.events);
  // The server sends the state the moment a stream opens. Nothing within a few seconds of asking (or of opening
  // again) means something on the way holds the events back, a buffering proxy, which shows neither an event nor
  // an error; or the stream never opens. Either way: poll instead.
  var watchdog = setTimeout(giveUpOnEvents, 5000);
  function giveUpOnEvents() {
    clearTimeout(watchdog);
    events.close();
    poll();
  }
  function heard() {
    clearTimeout(watchdog);
    watchdog = null;
  }
  events.addEventListener("open", function () {
    clearTimeout(watchdog);
    watchdog = setTimeout(giveUpOnEvents, 5000);
  });
  events.addEventListener("progress", function (event) { heard(); showProgress(JSON.parse(event.data)); });
  events.addEventListener("done", function (event) { heard(); events.close(); showDone(JSON.parse(event.data)); });
  events.addEventListener("failed", function (event) { heard(); events.close(); showFailed(JSON.parse(event.data)); });
  events.addEventListener("error", function () {
    // A stream that ends is reconnected by the browser after the server's retry time. One refused (a 404, a 5xx,
    // the wrong type) closes for good: then only polling is left.
    if (!finished && events.readyState === EventSource.CLOSED) giveUpOnEvents();
  });
})();
