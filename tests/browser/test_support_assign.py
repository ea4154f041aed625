"""Codes for a named technician, in three browsers at once: the admin assigns a code to
Sarah (B) in the Generate Code dialog; Sarah's own Support tab shows the toast (who, which
code) and lists the session as hers; Tom (C) gets no toast, which a later code assigned to
Tom proves (his first and only assignment toast is that one). The picker's empty and error
states, a refusal from the server shown in the dialog, a plain technician without the
colleague choice, and screenshots of the dialog light, dark and at phone width."""
import pytest
from playwright.sync_api import expect

from browser_steps import ADMIN, ApiClient, shot, ui_sign_in
from portal_steps import call, create_code
from viewer_steps import admin_api

PASSWORD = "tech-password-123"
SARAH = {"username": "sarah.k", "displayName": "Sarah Kim"}
TOM = {"username": "tom.r", "displayName": "Tom Reyes"}
PHONE = {"width": 390, "height": 844}

# Every toast a page shows, kept after it is dismissed, so a test can say which never came.
RECORD_TOASTS = """
window.__toasts = [];
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType === 1 && node.classList.contains('toast')) {
        queueMicrotask(() => window.__toasts.push({ testid: node.dataset.testid, code: node.dataset.code || null, text: node.textContent }));
      }
    }
  }
}).observe(document, { childList: true, subtree: true });
"""


@pytest.fixture(scope="module")
def api(server):
    api = admin_api(server)
    ids = {}
    for user in (SARAH, TOM, {"username": "old.acct", "displayName": "Old Account"}):
        status, body = call(api, "POST", "/api/users", {**user, "password": PASSWORD, "roleId": "technician", "teamId": None})
        assert status == 201, (status, body)
        ids[user["username"]] = body["id"]
    status, body = call(api, "PATCH", f"/api/users/{ids['old.acct']}", {"disabled": True})
    assert status == 200, (status, body)
    api.ids = ids
    return api


def sign_in(new_page, server, user, theme=None, viewport=None):
    """A fresh browser context signed in as `user` on its Support tab, recording its toasts."""
    page = new_page(viewport=viewport, theme=theme)
    page.context.add_init_script(RECORD_TOASTS)
    ui_sign_in(page, server.base_url, user["username"], user.get("password", PASSWORD))
    return page


def toasts(page, testid="toast-assigned"):
    return [t for t in page.evaluate("() => window.__toasts") if t["testid"] == testid]


def open_colleague_picker(page):
    page.click("#support-generate")
    expect(page.locator("#generate-assigned-me")).to_be_checked()
    page.click("#generate-assigned-colleague")
    expect(page.locator("#generate-assignee-panel")).to_be_visible()


def test_admin_assigns_a_code_and_only_the_assignee_is_told(server, api, new_page):
    admin = sign_in(new_page, server, ADMIN)
    sarah = sign_in(new_page, server, SARAH)
    tom = sign_in(new_page, server, TOM)

    open_colleague_picker(admin)
    # Enabled technicians other than me, by name; the disabled account is not offered.
    expect(admin.locator("#generate-assignee option")).to_have_text(["Choose a technician…", "Sarah Kim", "Tom Reyes"])
    expect(admin.locator("#generate-assignee")).to_be_focused()
    admin.select_option("#generate-assignee", label="Sarah Kim")
    shot(admin.locator("#generate-dialog"), "support-assign-dialog-light")
    admin.click("#generate-submit")
    code = admin.locator("#generated-code").inner_text().strip()
    assert len(code) == 6 and code.isdigit(), code
    expect(admin.locator("#generate-dialog .dialog-description")).to_contain_text("Assigned to Sarah Kim, who has been notified")
    shot(admin.locator("#generate-dialog"), "support-assign-ready-light")
    admin.click("#generated-done")
    # The admin sees it among the team's sessions, under its assignee.
    group = admin.locator("#support-section-team .support-group[data-owner='Sarah Kim']")
    expect(group.locator(f"[data-code='{code}']")).to_have_attribute("data-status", "pending")

    # Sarah: the toast names who and which code, and the session is hers.
    toast = sarah.locator(f"[data-testid=toast-assigned][data-code='{code}']")
    expect(toast).to_contain_text(f"Code {code[:3]} {code[3:]} assigned to you")
    expect(toast).to_contain_text(f"Mike Swanson assigned support code {code} to you")
    mine = sarah.locator(f"#support-section-mine [data-code='{code}']")
    expect(mine).to_have_attribute("data-status", "pending")
    expect(mine.locator(".cell-sub")).to_contain_text("Assigned by Mike Swanson")
    expect(mine.locator("[data-testid=support-cancel]")).to_be_visible()
    shot(sarah, "support-assign-toast")

    # Tom's barrier: a code for him. Any toast of Sarah's code would have come before its toast.
    second = create_code(api, assigneeId=api.ids["tom.r"])
    expect(tom.locator(f"[data-testid=toast-assigned][data-code='{second['code']}']")).to_be_visible()
    expect(tom.locator(f"#support-section-mine [data-code='{second['code']}']")).to_be_visible()
    assert [t["code"] for t in toasts(tom)] == [second["code"]], toasts(tom)
    expect(tom.locator(f"[data-code='{code}']")).to_have_count(0)
    # And Sarah's toast was hers alone: a third code for her is her second toast, Tom's was not shown to her.
    third = create_code(api, assigneeId=api.ids["sarah.k"])
    expect(sarah.locator(f"[data-testid=toast-assigned][data-code='{third['code']}']")).to_be_visible()
    assert [t["code"] for t in toasts(sarah)] == [code, third["code"]], toasts(sarah)
    assert toasts(admin) == [], "assigning tells the assignee, not the one who assigned"


def test_picker_errors_refusals_and_the_plain_technician(server, api, new_page):
    admin = sign_in(new_page, server, ADMIN)
    open_colleague_picker(admin)
    expect(admin.locator("#generate-assignee")).to_be_visible()
    # Nobody chosen yet: said in the dialog, nothing created.
    admin.click("#generate-submit")
    expect(admin.locator("#generate-error")).to_contain_text("Choose the technician who takes this session")
    # Tom's account is disabled while the dialog is open: the server's refusal is shown, and the dialog stays.
    status, _ = call(api, "PATCH", f"/api/users/{api.ids['tom.r']}", {"disabled": True})
    assert status == 200
    try:
        admin.select_option("#generate-assignee", label="Tom Reyes")
        admin.click("#generate-submit")
        expect(admin.locator("#generate-error")).to_contain_text("Tom Reyes's account is disabled.")
        expect(admin.locator("#generate-form")).to_be_visible()
    finally:
        status, _ = call(api, "PATCH", f"/api/users/{api.ids['tom.r']}", {"disabled": False})
        assert status == 200
    admin.keyboard.press("Escape")
    expect(admin.locator("#generate-dialog")).to_have_count(0)

    # The list fails to load: a clear error with Try again, which then works.
    admin.route("**/api/support/technicians", lambda route: route.fulfill(status=503, content_type="application/json",
                                                                            body='{"error":"busy","message":"The server is busy. Try again in 1 s."}'))
    open_colleague_picker(admin)
    expect(admin.locator("#generate-assignee-error")).to_contain_text("Couldn't load the technicians: The server is busy.")
    admin.unroute("**/api/support/technicians")
    admin.click("#generate-assignee-retry")
    expect(admin.locator("#generate-assignee option")).to_have_count(3)
    admin.keyboard.press("Escape")

    # Nobody else can take sessions: an empty state that says what to do.
    admin.route("**/api/support/technicians", lambda route: route.fulfill(
        status=200, content_type="application/json", body=f'[{{"id":"{admin_id(api)}","displayName":"Mike Swanson"}}]'))
    open_colleague_picker(admin)
    expect(admin.locator("#generate-assignee-empty")).to_contain_text("No other technician can take support sessions yet.")
    expect(admin.locator("#generate-assignee-empty")).to_contain_text("Settings → Users")
    shot(admin.locator("#generate-dialog"), "support-assign-dialog-empty")
    admin.click("#generate-submit")
    expect(admin.locator("#generate-error")).to_contain_text("There is no other technician to assign it to.")
    admin.unroute("**/api/support/technicians")
    admin.keyboard.press("Escape")

    # A plain technician keeps a code or leaves it first-come; the server refuses anything else.
    sarah = sign_in(new_page, server, SARAH)
    sarah.click("#support-generate")
    expect(sarah.locator("#generate-assigned-me")).to_be_checked()
    expect(sarah.locator("#generate-assigned-anyone")).to_be_visible()
    expect(sarah.locator("#generate-assigned-colleague")).to_have_count(0)
    shot(sarah.locator("#generate-dialog"), "support-assign-dialog-technician")
    tech = ApiClient(server.base_url)
    tech.login(SARAH["username"], PASSWORD)
    status, body = tech.call("POST", "/api/support/sessions", {"assigneeId": api.ids["tom.r"]})
    assert status == 403 and body["error"] == "assign_forbidden", (status, body)


def admin_id(api):
    status, session = call(api, "GET", "/api/session")
    assert status == 200
    return session["user"]["id"]


@pytest.mark.parametrize("theme,viewport,name", [
    ("dark", None, "support-assign-dialog-dark"),
    ("light", PHONE, "support-assign-dialog-phone"),
    ("dark", PHONE, "support-assign-dialog-phone-dark"),
])
def test_dialog_screenshots(server, api, new_page, theme, viewport, name):
    admin = sign_in(new_page, server, ADMIN, theme=theme, viewport=viewport)
    open_colleague_picker(admin)
    admin.select_option("#generate-assignee", label="Sarah Kim")
    dialog = admin.locator("#generate-dialog")
    box = dialog.bounding_box()
    width = (viewport or {"width": 1440})["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box  # fits the screen
    shot(dialog, name)
    shot(admin, f"{name}-page")
