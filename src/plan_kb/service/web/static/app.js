/* The chat box of every page: posts the question to /ask with the conversation id of this browser tab, so a
   follow-up ("它牵头哪些任务?") leans on what was asked before, and lists the cited tasks as links. */
(function () {
  "use strict";
  var KEY = "plan-kb.conversation", LOG = "plan-kb.log", ON = "plan-kb.asked-on";
  /* the first question asked on a page about something (an agency, a task, a place) may call it 它: the page's
     subject is put in its place, visibly; later follow-ups on the page lean on the conversation itself */
  var PRONOUN = /它们|它|该单位|这个单位|该部门|这个部门|该任务|这项任务|这个任务|该地/;
  var form = document.getElementById("ask-form");
  if (!form) return;
  var input = document.getElementById("ask-input"), log = document.getElementById("ask-log");
  var reset = document.getElementById("ask-reset");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function idOf(iri, kind) {
    var i = iri.lastIndexOf("/" + kind + "/");
    return i < 0 ? null : iri.slice(i + kind.length + 2);
  }
  function taskHref(t) {
    if (t.plan && t.number) return "/ui/tasks/" + encodeURIComponent(t.plan) + "/" + encodeURIComponent(t.number);
    var m = /\/([a-z0-9-]+)\/task\/(\d+)$/.exec(t.iri || "");
    return m ? "/ui/tasks/" + m[1] + "/" + m[2] : null;
  }
  /* the answer: its sentences as paragraphs, its "· " lines (one task each) as a list */
  function answerText(box, text) {
    var list = null;
    text.split("\n").forEach(function (line) {
      if (line.indexOf("· ") === 0) {
        if (!list) { list = el("ul", "answer-list"); box.appendChild(list); }
        list.appendChild(el("li", null, line.slice(2)));
      } else if (line) {
        list = null;
        box.appendChild(el("p", "answer", line));
      }
    });
  }
  function render(q, r) {
    var asked = el("p", "ask-q", q);
    log.appendChild(asked);
    var box = el("div", "ask-a");
    if (r.error) box.appendChild(el("p", "answer", r.error.message || "出错了"));
    else answerText(box, r.answer || "");
    if (r.agencies && r.agencies.length) {
      var p = el("p", "agencies", "单位:");
      r.agencies.forEach(function (a, i) {
        var id = idOf(a.iri || "", "agency");
        var link = el(id ? "a" : "span", null, a.label);
        if (id) link.href = "/ui/agencies/" + encodeURIComponent(id);
        if (i) p.appendChild(document.createTextNode("、"));
        p.appendChild(link);
      });
      box.appendChild(p);
    }
    if (r.values && r.values.length) {
      var ul = el("ul", "values");
      r.values.forEach(function (v) {
        var unit = (v.unit || "").split("/").pop();
        ul.appendChild(el("li", null, [v.indicator, v.comparator, v.value, unit].filter(function (x) {
          return x !== undefined && x !== null && x !== ""; }).join(" ")));
      });
      box.appendChild(ul);
    }
    if (r.tasks && r.tasks.length) {
      box.appendChild(el("p", "cites", "依据(" + r.tasks.length + "):"));
      var ol = el("ol", "citations");
      r.tasks.forEach(function (t) {
        var li = el("li"), href = taskHref(t);
        var a = el(href ? "a" : "span", "cite", (t.plan || "") + " 任务" + (t.number || "") + " " + (t.title || ""));
        if (href) a.href = href;
        li.appendChild(a);
        if (t.quote) li.appendChild(el("span", "quote", t.quote));
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }
    log.appendChild(box);
    log.scrollTop = asked.offsetTop;  /* the start of the newest answer */
  }
  function remember(q, r) {
    try {
      var past = JSON.parse(sessionStorage.getItem(LOG) || "[]");
      past.push([q, r]);
      sessionStorage.setItem(LOG, JSON.stringify(past.slice(-10)));
    } catch (e) { /* storage may be off: the chat still works on this page */ }
  }
  try {
    JSON.parse(sessionStorage.getItem(LOG) || "[]").forEach(function (x) { render(x[0], x[1]); });
  } catch (e) { /* ignore */ }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = input.value.trim();
    if (!q) return;
    var aside = document.getElementById("ask"), subject = aside ? aside.dataset.subject : "";
    if (subject && sessionStorage.getItem(ON) !== location.pathname && PRONOUN.test(q)) q = q.replace(PRONOUN, subject);
    var body = { question: q };
    var cid = sessionStorage.getItem(KEY);
    if (cid) body.conversation = cid;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    fetch("/ask", { method: "POST", headers: { "Content-Type": "application/json", "Accept": "application/json" },
                    body: JSON.stringify(body) })
      .then(function (resp) { return resp.json().catch(function () { return { error: { message: "HTTP " + resp.status } }; }); })
      .then(function (r) {
        var id = r.conversation || r.conversation_id || r.conversationId;
        if (id) sessionStorage.setItem(KEY, id);
        sessionStorage.setItem(ON, location.pathname);
        render(q, r);
        remember(q, r);
        input.value = "";
      })
      .catch(function () { render(q, { error: { message: "无法连接服务" } }); })
      .then(function () { button.disabled = false; form.removeAttribute("aria-busy"); input.focus(); });
  });
  reset.addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(LOG);
    sessionStorage.removeItem(ON);
    log.textContent = "";
    input.focus();
  });
})();
