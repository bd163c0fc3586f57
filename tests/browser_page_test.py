#!/usr/bin/python3
"""The HTML page in a real browser: headless Chromium (Debian's chromium, chromium-driver,
python3-selenium; scripts/setup.sh installs them), driven with the keys a class uses.

    tests/browser_page_test.py PINATA_BINARY SOURCE_DIR [OUT_DIR]

It exports S2 as a page (offline, from a file), presses keys to step 17 and reads the
caption and the lit Rust line from the page's picture, and compares them with what
`pinata export --step 17` draws into an SVG (the same extraction on both); at every step of
S2, the lit expression's span is the export's (the window's draw list); checks L
(Korean), V (reveal), 3 (one view), zoom and fit, N / P, End / Home, #step=K, a touch
button, a click's linked highlight and details; answers a quiz round on S2 and on S6;
and takes screenshots, checked not blank. Screenshots stay in OUT_DIR (default:
./browser_page_test). Exit 0 when every check holds; a missing browser is a failure,
never a skip."""
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

PINATA, SRC = sys.argv[1], sys.argv[2]
OUT = os.path.abspath(sys.argv[3] if len(sys.argv) > 3 else "browser_page_test")
CAPTION_FILL, LIT_FILL, EXPR_FILL = "#fff8e7", "#ffe08a", "#ffb547"

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:
    sys.exit("browser_page_test: python3-selenium is missing (scripts/setup.sh installs it)")

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
    return ok


def pinata(*args):
    r = subprocess.run([PINATA, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"browser_page_test: pinata {' '.join(args)} failed: {r.stderr.strip()}")
    return r


# ---- what a picture says: the same extraction for the SVG file and the page's SVG ----

def local(tag):
    return tag.rsplit("}", 1)[-1]


def boxed_texts(svg_text, fill):
    """The texts drawn inside the first rectangle of this fill, in order, joined."""
    root = ET.fromstring(svg_text)
    rect = next((r for r in root.iter() if local(r.tag) == "rect" and r.get("fill") == fill), None)
    if rect is None:
        return None
    x0, y0 = float(rect.get("x")), float(rect.get("y"))
    x1, y1 = x0 + float(rect.get("width")), y0 + float(rect.get("height"))
    out = []
    for t in root.iter():
        if local(t.tag) != "text" or t.text is None:
            continue
        x, y = float(t.get("x")), float(t.get("y"))
        if y0 <= y <= y1 and x0 - 60 <= x <= x1:
            out.append(t.text)
    return " ".join(out)


def expr_spans(svg_text):
    """The lit expressions on the source panel (viz/srcpanel.c's SRCPANEL_EXPR): each
    rectangle's x, y, width and height, rounded to a tenth of a pixel."""
    root = ET.fromstring(svg_text)
    return [tuple(round(float(r.get(k)), 1) for k in ("x", "y", "width", "height"))
            for r in root.iter() if local(r.tag) == "rect" and r.get("fill") == EXPR_FILL]


def svg_file(*args):
    path = os.path.join(OUT, "expected.svg")
    pinata("export", *args, "-o", path)
    with open(path, encoding="utf-8") as f:
        return f.read()


# ---- the browser ----

def browser():
    chrome = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    if not chrome or not driver:
        sys.exit("browser_page_test: chromium / chromedriver missing (scripts/setup.sh installs them)")
    o = Options()
    o.binary_location = chrome
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1500,1000", "--lang=en-US"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=o)


def wait(d, js, what, seconds=30):
    """Waits for the page to reach a state (not a timing check: the deadline only stops a hang)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        v = d.execute_script("return " + js)
        if v:
            return v
        time.sleep(0.05)
    check(False, f"{what} (waited {seconds} s)")
    return None


def open_page(d, path, suffix=""):
    d.get("about:blank")
    d.get("file://" + path + suffix)
    wait(d, "document.body.dataset.ready === '1'", f"the page {os.path.basename(path)} opens")


def press(d, *keys):
    body = d.find_element(By.TAG_NAME, "body")
    for k in keys:
        body.send_keys(k)


def page_svg(d):
    return d.execute_script("return document.getElementById('pic').outerHTML")


def status(d):
    return d.execute_script("return document.getElementById('status').textContent")


def step_of(d):
    m = re.match(r"step (\d+) of (\d+)", status(d))
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def not_blank(png, what):
    """A screenshot that shows a diagram: many colours, and the cursor's red among them."""
    r = subprocess.run(["convert", png, "-format", "%k %[fx:standard_deviation]", "info:"],
                       capture_output=True, text=True)
    colours, sd = r.stdout.split()
    check(int(colours) > 200 and float(sd) > 0.05, f"{what}: the screenshot is not blank ({colours} colours, sd {sd})")
    red = subprocess.run(["convert", png, "-fill", "black", "+opaque", "#C0002A", "-fill", "white", "-opaque",
                          "#C0002A", "-format", "%[fx:mean*w*h]", "info:"], capture_output=True, text=True)
    check(float(red.stdout or 0) > 20, f"{what}: the cursor's red is in the screenshot ({red.stdout} px)")


def main():
    os.makedirs(OUT, exist_ok=True)
    s2 = os.path.join(OUT, "s2.html")
    s6 = os.path.join(OUT, "s6.html")
    s2_src = os.path.join(SRC, "scenarios", "s02_block_on.json")
    s6_src = os.path.join(SRC, "scenarios", "s06_spawn_pool.json")
    pinata("export", s2_src, "-o", s2)
    pinata("export", s6_src, "-o", s6)
    for p in (s2, s6):
        with open(p, encoding="utf-8") as f:
            text = f.read()
        check("http://" not in text and "https://" not in text, f"{os.path.basename(p)} names no http(s) URL")
    want17 = svg_file(s2_src, "--step", "17")
    want17_ko = svg_file(s2_src, "--step", "17", "--lang", "ko")
    cap17, lit17 = boxed_texts(want17, CAPTION_FILL), boxed_texts(want17, LIT_FILL)
    check(cap17 and "step 17 of" in cap17 and lit17, f"export --step 17 draws a caption and a lit line: {cap17!r} / {lit17!r}")

    d = browser()
    try:
        # nothing is fetched: every resource the page loaded is the page itself
        open_page(d, s2)
        names = d.execute_script("return performance.getEntriesByType('resource').map(r => r.name)")
        check(names == [], f"the page loads no other resource ({names})")
        check(step_of(d) == (1, 75), f"it opens at step 1 of 75 ({status(d)!r})")

        # the keys: Right x16 to step 17, the same caption and lit line as the export
        press(d, *([Keys.ARROW_RIGHT] * 16))
        check(step_of(d)[0] == 17, f"Right x16: step 17 ({status(d)!r})")
        check(d.execute_script("return location.hash") == "#step=17", "the address says #step=17, to copy into the slides")
        got = page_svg(d)
        check(boxed_texts(got, CAPTION_FILL) == cap17, f"step 17's caption is the export's: {boxed_texts(got, CAPTION_FILL)!r}")
        check(boxed_texts(got, LIT_FILL) == lit17, f"step 17's lit line is the export's: {boxed_texts(got, LIT_FILL)!r}")
        lit_spans(d, s2_src)
        shot = os.path.join(OUT, "s2-step17.png")
        d.save_screenshot(shot)
        not_blank(shot, "S2 at step 17")

        # L: Korean, as export --lang ko draws it
        press(d, "l")
        got = page_svg(d)
        check(boxed_texts(got, CAPTION_FILL) == boxed_texts(want17_ko, CAPTION_FILL),
              f"L: the Korean caption of step 17: {boxed_texts(got, CAPTION_FILL)!r}")
        d.save_screenshot(os.path.join(OUT, "s2-step17-ko.png"))
        press(d, "l")

        # V: reveal hides what comes after the cursor (fewer elements), and back
        n_faded = d.execute_script("return document.querySelectorAll('#pic *').length")
        press(d, "v")
        n_reveal = d.execute_script("return document.querySelectorAll('#pic *').length")
        check(n_reveal < n_faded and "reveal" in status(d), f"V: reveal draws less ({n_reveal} < {n_faded})")
        press(d, "v")

        # 3 / 2 / 1: one view, the other, both
        def has_text(s):
            return d.execute_script("return [...document.querySelectorAll('#pic text')].some(t => t.textContent === arguments[0])", s)
        press(d, "3")
        check(not has_text("Simplified View") and has_text("Implementation"), "3: the Implementation alone")
        press(d, "2")
        check(has_text("Simplified View") and not has_text("Implementation"), "2: the Simplified View alone")
        press(d, "1")
        check(has_text("Simplified View") and has_text("Implementation"), "1: both views")

        # zoom and fit
        w0 = float(d.execute_script("return document.getElementById('pic').getAttribute('width')"))
        press(d, "+")
        w1 = float(d.execute_script("return document.getElementById('pic').getAttribute('width')"))
        press(d, "-", "-")
        w2 = float(d.execute_script("return document.getElementById('pic').getAttribute('width')"))
        press(d, "f")
        w3 = float(d.execute_script("return document.getElementById('pic').getAttribute('width')"))
        check(w1 > w0 > w2 and abs(w3 - w0) < 1, f"+ zooms in, - out, F fits again ({w0:.0f} {w1:.0f} {w2:.0f} {w3:.0f})")

        # N / P go to the next / previous poll's start, End / Home to the ends
        press(d, "n")
        k = step_of(d)[0]
        check(k > 17 and "polls" in boxed_texts(page_svg(d), CAPTION_FILL), f"N: the next poll, step {k}")
        press(d, "p")
        check(step_of(d)[0] <= 17, f"P: back to a poll at or before 17 ({step_of(d)[0]})")
        press(d, Keys.END)
        check(step_of(d)[0] == 75, "End: the last step")
        press(d, Keys.HOME)
        check(step_of(d)[0] == 1, "Home: the first step")

        # Space plays and pauses (the play itself is not timed here)
        press(d, " ")
        check("playing" in status(d), f"Space: playing ({status(d)!r})")
        press(d, " ")
        check("paused" in status(d), "Space again: paused")

        # a touch: the next-step button
        d.find_element(By.ID, "b-next").click()
        check(step_of(d)[0] in (2, 3), f"the ▶ button steps ({status(d)!r})")

        # #step=K opens at step K, with the export's caption
        open_page(d, s2, "#step=17")
        check(step_of(d)[0] == 17 and boxed_texts(page_svg(d), CAPTION_FILL) == cap17, "#step=17 opens at step 17")

        # a click on a poll: the layout's details, and the linked outline of its bar above
        poll = d.execute_script("""
            const r = [...document.querySelectorAll('#pic rect.poll')].find(e => +e.getAttribute('width') > 20);
            r.id = 'the-poll'; return r.getAttribute('y');""")
        ActionChains(d).move_to_element(d.find_element(By.ID, "the-poll")).click().perform()
        sel = d.execute_script("return [...document.querySelectorAll('#pic rect.select')].map(r => +r.getAttribute('y'))")
        details = d.execute_script("return [...document.querySelectorAll('#pic text.detail')].map(t => t.textContent)")
        check(len(sel) >= 2 and min(sel) < float(poll) - 20, f"click: the poll and its bar above are outlined ({sel})")
        check(any("poll" in t for t in details), f"click: the details box ({details[:2]})")
        d.save_screenshot(os.path.join(OUT, "s2-click.png"))
        press(d, Keys.ESCAPE)
        check(not d.execute_script("return document.querySelectorAll('#pic rect.select').length"), "Esc clears the selection")

        quiz_round(d, s2, "S2")
        quiz_round(d, s6, "S6")
        logs = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]
        check(not logs, f"no error in the browser's console ({logs[:2]})")
    finally:
        d.quit()
    if failures:
        print(f"browser_page_test: {len(failures)} check(s) failed")
        return 1
    print("browser_page_test: every check holds; screenshots in", OUT)
    return 0


def lit_spans(d, src):
    """Every step of the page lights the expression being polled exactly where the export
    draws it (issue 12's columns), not the whole line: steps from 1 to the end with Right,
    each compared with `pinata export --step K`. Leaves the page at step 17."""
    press(d, Keys.HOME)
    n, differ, spans = step_of(d)[1], [], 0
    for k in range(1, n + 1):
        if k > 1:
            press(d, Keys.ARROW_RIGHT)
        got, want = expr_spans(page_svg(d)), expr_spans(svg_file(src, "--step", str(k)))
        spans += len(want)
        if got != want:
            differ.append((k, got, want))
    check(not differ, f"each step lights the export's expression span ({spans} spans over {n} steps; differ: {differ[:3]})")
    check(spans >= n // 2, f"most steps light an expression ({spans} of {n})")
    line = boxed_texts(svg_file(src, "--step", "17"), LIT_FILL)
    w17 = expr_spans(svg_file(src, "--step", "17"))
    root = ET.fromstring(svg_file(src, "--step", "17"))
    lit = next(r for r in root.iter() if local(r.tag) == "rect" and r.get("fill") == LIT_FILL)
    check(len(w17) == 1 and w17[0][2] < float(lit.get("width")) / 2,
          f"step 17 lights one expression, narrower than its line {line!r} ({w17})")
    open_page(d, os.path.abspath(os.path.join(OUT, "s2.html")), "#step=17")


def quiz_round(d, page, name):
    """Opens the page with ?quiz and answers every question it asks as the window's keys do:
    a click, a digit key, Esc (skipped), in turn; End goes on to the next question. Checks
    that the page stops at each, reveals the right answer, and keeps the score the answers
    give."""
    open_page(d, page, "?quiz")
    n = d.execute_script("return window.pinataQuiz ? window.pinataQuiz.count() : -1")
    if not check(n and n > 0, f"{name}: ?quiz has questions ({n})"):
        return
    asking = "return !document.getElementById('quiz').hidden && !!document.querySelector('#quiz .choices button:not([disabled])')"
    asked = right = 0
    for _ in range(3 * n + 3):
        if d.execute_script(asking):
            before = step_of(d)
            press(d, Keys.ARROW_RIGHT)
            check(step_of(d) == before, f"{name}: the page stops at step {before[0]} until the question is answered")
            buttons = d.find_elements(By.CSS_SELECTOR, "#quiz .choices button")
            pick = asked % len(buttons)
            how = asked % 3
            if how == 0:
                buttons[pick].click()
            elif how == 1:
                press(d, str(pick + 1))
            else:
                press(d, Keys.ESCAPE)
                pick = -1
            good = d.execute_script("return [...document.querySelectorAll('#quiz .choices button')].findIndex(b => b.classList.contains('right'))")
            check(good >= 0, f"{name}: the right answer is revealed at step {before[0]} ({['click', 'key', 'Esc'][how]})")
            asked += 1
            right += good == pick
            if asked == 1:
                d.save_screenshot(os.path.join(OUT, f"quiz-{name}.png"))
        if step_of(d)[0] == step_of(d)[1]:
            break
        press(d, Keys.END)  # in quiz mode End stops at the next question's step
    check(asked == n, f"{name}: every question was asked on the way ({asked} of {n})")
    score = d.execute_script("return window.pinataQuiz.score()")
    check(score == [right, asked], f"{name}: the score kept is {score}, the answers gave {[right, asked]}")
    press(d, "g")
    check(d.execute_script("return document.getElementById('quiz').hidden") and "reveal" not in status(d),
          f"{name}: G leaves the quiz and restores reveal mode ({status(d)!r})")


if __name__ == "__main__":
    sys.exit(main())
