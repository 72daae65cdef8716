/* Upload page: one request carries every file; each file gets its own progress bar
   (from the request's byte count), then its intake job is followed once a second. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var input = document.getElementById("files");
  var button = document.getElementById("upload-button");
  var statusBox = document.getElementById("upload-status");
  var tbody = document.getElementById("upload-rows");
  var summary = document.getElementById("upload-summary");
  var maxMb = Number(form.dataset.maxMb);
  var csrf = form.dataset.csrf;
  var thaiDigits = form.dataset.thaiDigits === "1";
  var rows = [];

  function digits(text) {
    text = String(text);
    return thaiDigits ? text.replace(/[0-9]/g, function (d) { return "๐๑๒๓๔๕๖๗๘๙"[d]; }) : text;
  }

  function sizeText(bytes) {
    if (bytes >= 1048576) { return digits((bytes / 1048576).toFixed(1)) + " MB"; }
    return digits(Math.max(1, Math.round(bytes / 1024))) + " KB";
  }

  function cell(tr, className, text) {
    var td = document.createElement("td");
    td.className = className;
    if (text) { td.textContent = text; }
    tr.appendChild(td);
    return td;
  }

  function makeRow(file) {
    var tr = document.createElement("tr");
    cell(tr, "filename", file.name);
    cell(tr, "nowrap", sizeText(file.size));
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "อัปโหลด " + file.name);
    cell(tr, "progress-cell", "").appendChild(bar);
    var state = cell(tr, "state", "");
    tbody.appendChild(tr);
    return { file: file, tr: tr, bar: bar, state: state, jobId: null, finished: false, ok: false };
  }

  function setState(row, kind, text, detail, link) {
    row.state.textContent = "";
    var label = document.createElement("span");
    label.className = "state-label state-" + kind;
    label.textContent = text;
    row.state.appendChild(label);
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.className = "open-record";
      a.textContent = "เปิดดู";
      row.state.appendChild(document.createTextNode(" "));
      row.state.appendChild(a);
    }
    if (detail) {
      var small = document.createElement("div");
      small.className = "state-detail";
      small.textContent = detail;
      row.state.appendChild(small);
    }
    row.tr.dataset.state = kind;
  }

  function finish(row, ok) {
    row.finished = true;
    row.ok = ok;
  }

  function summarise() {
    var done = rows.filter(function (r) { return r.finished; }).length;
    var failed = rows.filter(function (r) { return r.finished && !r.ok; }).length;
    var text = "เสร็จ " + digits(done) + " จาก " + digits(rows.length) + " ไฟล์";
    if (failed) { text += " · ไม่สำเร็จ " + digits(failed) + " ไฟล์"; }
    if (done === rows.length) {
      text = "นำเข้าเสร็จสิ้น: " + text;
      button.disabled = false;
      form.reset();
      showChosen();
    }
    summary.textContent = text;
  }

  function showJob(row, job) {
    if (job.status === "done") {
      var flagged = job.record_status === "flagged";
      setState(row, "done", flagged ? "เสร็จแล้ว (รอตรวจสอบ)" : "เสร็จแล้ว",
               job.note, job.record_url);
      finish(row, true);
    } else if (job.status === "failed") {
      setState(row, "failed", "ไม่สำเร็จ", job.error || job.note, job.record_url);
      finish(row, false);
    } else {
      setState(row, job.status, job.stage_thai || "รอคิว");
    }
  }

  function poll(batch, waiting, failures) {
    fetch("/api/jobs/" + encodeURIComponent(batch), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) { throw new Error(result.body.error || "HTTP error"); }
      var byId = {};
      result.body.jobs.forEach(function (job) { byId[job.job_id] = job; });
      waiting.forEach(function (row) {
        if (!row.finished && byId[row.jobId]) { showJob(row, byId[row.jobId]); }
      });
      summarise();
      if (!result.body.finished) { window.setTimeout(poll, 1000, batch, waiting, 0); }
    }).catch(function () {
      if (failures < 30) {
        window.setTimeout(poll, 3000, batch, waiting, failures + 1);
      } else {
        summary.textContent = "ติดตามสถานะไม่ได้ กรุณาโหลดหน้าใหม่หรือค้นหาเอกสารภายหลัง";
      }
    });
  }

  function received(sending, body) {
    var waiting = [];
    body.files.forEach(function (outcome, i) {
      var row = sending[i];
      row.bar.value = 100;
      if (outcome.status === "stored") {
        row.jobId = outcome.job_id;
        setState(row, "queued", "รอคิว");
        waiting.push(row);
      } else if (outcome.status === "duplicate") {
        setState(row, "duplicate", "มีในคลังแล้ว", "ไฟล์นี้เคยนำเข้าแล้ว", outcome.record_url);
        finish(row, true);
      } else {
        setState(row, "failed", "ไม่สำเร็จ", outcome.error);
        finish(row, false);
      }
    });
    summarise();
    if (waiting.length) { poll(body.batch, waiting, 0); }
  }

  function rejected(sending, message) {
    sending.forEach(function (row) {
      setState(row, "failed", "ส่งไฟล์ไม่สำเร็จ", message);
      finish(row, false);
    });
    summarise();
  }

  function send(sending) {
    var data = new FormData();
    var total = 0;
    sending.forEach(function (row) {
      data.append("files", row.file, row.file.name);
      total += row.file.size;
    });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable || !event.total) { return; }
      // Files travel in order; scale out the multipart headers' share of the bytes.
      var sent = event.loaded * total / event.total;
      sending.forEach(function (row) {
        var share = row.file.size ? Math.min(Math.max(sent, 0), row.file.size) / row.file.size : 1;
        row.bar.value = Math.round(share * 100);
        sent -= row.file.size;
      });
    });
    xhr.addEventListener("load", function () {
      var body = xhr.response || {};
      if (xhr.status === 200 && body.files) {
        received(sending, body);
      } else {
        rejected(sending, body.error || ("HTTP " + xhr.status));
      }
    });
    xhr.addEventListener("error", function () {
      rejected(sending, "เครือข่ายขัดข้อง กรุณาลองอีกครั้ง (network error)");
    });
    xhr.send(data);
  }

  var zone = document.getElementById("dropzone");
  var chosen = document.getElementById("chosen");

  function showChosen() {
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    chosen.textContent = names.length
      ? "เลือกแล้ว " + digits(names.length) + " ไฟล์: " + names.join(", ") : "";
  }

  input.addEventListener("change", showChosen);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      showChosen();
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) {
      chosen.textContent = "กรุณาเลือกไฟล์ก่อน (choose files first)";
      return;
    }
    statusBox.hidden = false;
    tbody.textContent = "";
    rows = files.map(makeRow);
    var sending = [];
    rows.forEach(function (row) {
      if (row.file.size > maxMb * 1048576) {
        setState(row, "failed", "ไม่รับไฟล์",
                 "ไฟล์ใหญ่เกินกำหนด " + digits(maxMb) + " MB (file too large)");
        finish(row, false);
      } else {
        setState(row, "uploading", "กำลังอัปโหลด");
        sending.push(row);
      }
    });
    if (sending.length) {
      button.disabled = true;
      send(sending);
    }
    summarise();
  });
})();
