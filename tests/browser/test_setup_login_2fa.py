"""First-run setup, sign-in, two-factor enrolment (QR decoded with zbarimg), TOTP
sign-in, and single-use recovery codes: all through the UI."""
import shutil
import subprocess
import time

import pyotp
from playwright.sync_api import expect

from browser_steps import ADMIN, ApiClient, settle, shot, ui_sign_in, ui_sign_out


def fresh_code(secret, used):
    """The current TOTP code, waiting (≤ 31 s) for a new time step if it was already used."""
    totp = pyotp.TOTP(secret)
    deadline = time.monotonic() + 31
    while totp.now() in used and time.monotonic() < deadline:
        time.sleep(0.5)
    code = totp.now()
    assert code not in used, "no fresh TOTP code within 31 s"
    used.add(code)
    return code


def test_setup_then_login_with_2fa_and_recovery_codes(server, new_page):
    base = server.base_url
    page = new_page()

    # --- First run: any page leads to /setup.
    page.goto(f"{base}/app")
    page.wait_for_url("**/setup")
    expect(page.locator("#setup-form")).to_be_visible()
    shot(page, "flow-setup")
    page.fill("#setup-username", ADMIN["username"])
    page.fill("#setup-display-name", ADMIN["displayName"])
    page.fill("#setup-password", ADMIN["password"])
    page.fill("#setup-confirm", ADMIN["password"] + "x")
    page.click("#setup-submit")
    expect(page.locator("#setup-error")).to_contain_text("do not match")
    page.fill("#setup-confirm", ADMIN["password"])
    page.click("#setup-submit")
    page.wait_for_url("**/login")
    expect(page.locator("#login-note")).to_contain_text("administrator account is ready")

    # --- A second setup attempt is refused, and /setup says so.
    status, payload = ApiClient(base).call("POST", "/api/setup", {"username": "intruder", "displayName": "X", "password": "another-password-1"})
    assert status == 404, (status, payload)
    assert payload["error"] == "not_found"
    page.goto(f"{base}/setup")
    expect(page.locator("#setup-complete")).to_be_visible()
    expect(page.get_by_role("heading", name="Setup is already complete")).to_be_visible()

    # --- Wrong password, then the right one.
    page.goto(f"{base}/login")
    page.fill("#login-username", ADMIN["username"])
    page.fill("#login-password", "not-the-password")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_be_visible()
    expect(page.locator("#login-error")).to_have_attribute("data-code", "invalid_credentials")
    shot(page, "flow-login-invalid")
    ui_sign_in(page, base, ADMIN["username"], ADMIN["password"])
    expect(page.locator("#sidebar-user-name")).to_have_text(ADMIN["displayName"])
    expect(page.locator("#sidebar-user-role")).to_have_text("Admin")

    # --- Enrol two-factor.
    page.goto(f"{base}/app/settings/account")
    settle(page)
    expect(page.locator("#totp-status")).to_have_attribute("data-state", "off")
    page.click("#totp-enable")
    secret = page.locator("#totp-secret").inner_text().strip()
    assert len(secret) >= 16, secret
    qr = page.locator("#totp-qr")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    qr_png = shot(page.locator(".totp-qr-frame"), "totp-qr")
    shot(page, "flow-totp-enroll")
    assert shutil.which("zbarimg"), "zbarimg is not installed"
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(qr_png)], capture_output=True, text=True, timeout=20)
    uri = decoded.stdout.strip()
    assert uri.startswith("otpauth://totp/"), (decoded.returncode, decoded.stdout, decoded.stderr)
    assert f"secret={secret}" in uri, uri

    used = set()
    page.fill("#totp-confirm-code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.click("#totp-confirm-submit")
    expect(page.locator("#totp-confirm-error")).to_be_visible()
    page.fill("#totp-confirm-code", fresh_code(secret, used))
    page.click("#totp-confirm-submit")
    codes_list = page.locator("#recovery-codes li")
    expect(codes_list).to_have_count(10)
    codes = [c.strip() for c in codes_list.all_inner_texts()]
    assert len(set(codes)) == 10 and all(codes), codes
    expect(page.locator("#recovery-copy")).to_be_visible()
    with page.expect_download(timeout=10_000) as download_info:
        page.click("#recovery-download")
    downloaded = download_info.value.path().read_text()
    assert all(code in downloaded for code in codes)
    shot(page, "flow-recovery-codes")
    page.click("#recovery-done")
    expect(page.locator("#totp-status")).to_have_attribute("data-state", "on")
    ui_sign_out(page)

    # --- Password, then the TOTP code (a wrong code first).
    page.fill("#login-username", ADMIN["username"])
    page.fill("#login-password", ADMIN["password"])
    page.click("#login-submit")
    expect(page.locator("#totp-form")).to_be_visible()
    shot(page, "flow-login-totp")
    wrong = "123456" if pyotp.TOTP(secret).now() != "123456" else "654321"
    page.fill("#totp-code", wrong)
    page.click("#totp-submit")
    expect(page.locator("#login-error")).to_have_attribute("data-code", "totp_invalid")
    page.fill("#totp-code", fresh_code(secret, used))
    page.click("#totp-submit")
    page.wait_for_url("**/app/support")
    expect(page.locator("#sidebar-user-name")).to_have_text(ADMIN["displayName"])
    ui_sign_out(page)

    # --- A recovery code works once.
    for attempt in ("first", "second"):
        page.fill("#login-username", ADMIN["username"])
        page.fill("#login-password", ADMIN["password"])
        page.click("#login-submit")
        expect(page.locator("#totp-form")).to_be_visible()
        page.click("#totp-toggle-recovery")
        expect(page.locator("#recovery-code")).to_be_visible()
        expect(page.locator("#totp-code")).to_be_hidden()
        page.fill("#recovery-code", codes[0])
        page.click("#totp-submit")
        if attempt == "first":
            page.wait_for_url("**/app/support")
            ui_sign_out(page)
        else:
            expect(page.locator("#login-error")).to_have_attribute("data-code", "totp_invalid")
            expect(page).to_have_url(f"{base}/login")
            shot(page, "flow-recovery-reused")
