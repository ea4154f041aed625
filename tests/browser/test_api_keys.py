"""API keys: create one in the UI, use its secret with curl, revoke it in the UI."""
import subprocess

from playwright.sync_api import expect

from browser_steps import ADMIN, create_admin, settle, shot, ui_sign_in


def curl_session_status(port, secret):
    result = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
         "-H", f"Authorization: Bearer {secret}", f"http://127.0.0.1:{port}/api/session"],
        capture_output=True, text=True, timeout=20)
    return result.stdout.strip()


def test_create_use_and_revoke_api_key(server, new_page):
    create_admin(server.base_url)
    page = new_page()
    ui_sign_in(page, server.base_url, ADMIN["username"], ADMIN["password"])
    page.click("[data-testid=nav-settings]")
    page.wait_for_url("**/app/settings/account")
    settle(page)
    expect(page.locator("[data-testid=api-keys-empty]")).to_contain_text("No API keys yet")

    # Create: the dialog shows the secret once.
    page.click("#api-key-new")
    expect(page.locator("#api-key-dialog")).to_be_visible()
    page.fill("#api-key-name", "PSA integration")
    page.select_option("#api-key-expiry", "30")
    page.press("#api-key-name", "Enter")  # Enter submits the form
    secret_el = page.locator("#api-key-secret")
    expect(secret_el).to_be_visible()
    secret = secret_el.inner_text().strip()
    assert secret.startswith("gck_"), secret
    expect(page.locator("#api-key-copy")).to_be_visible()
    shot(page, "flow-api-key-secret")
    page.click("#api-key-done")
    expect(page.locator("#api-key-dialog")).to_have_count(0)

    row = page.locator("[data-testid=api-key-row][data-name='PSA integration']")
    expect(row).to_have_count(1)
    expect(row.locator("[data-testid=api-key-status]")).to_have_text("Active")
    expect(row).not_to_contain_text(secret)  # the table never shows the secret again
    expect(row).to_contain_text(secret[:8])  # but it shows the key's prefix

    assert curl_session_status(server.port, secret) == "200"
    assert curl_session_status(server.port, secret + "x") == "401"

    # Revoke with a confirmation dialog; cancelling first changes nothing.
    row.locator("[data-testid=api-key-revoke]").click()
    expect(page.locator("#confirm-dialog")).to_be_visible()
    page.click("#confirm-cancel")
    expect(page.locator("#confirm-dialog")).to_have_count(0)
    assert curl_session_status(server.port, secret) == "200"

    row.locator("[data-testid=api-key-revoke]").click()
    page.click("#confirm-ok")
    expect(page.locator("#confirm-dialog")).to_have_count(0)
    row = page.locator("[data-testid=api-key-row][data-name='PSA integration']")
    expect(row.locator("[data-testid=api-key-status]")).to_have_text("Revoked")
    expect(row.locator("[data-testid=api-key-revoke]")).to_have_count(0)
    shot(page, "flow-api-key-revoked")

    assert curl_session_status(server.port, secret) == "401"
