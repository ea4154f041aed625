"""Theme switching (persisted in localStorage) and the phone layout's drawer."""
from playwright.sync_api import expect

from browser_steps import ADMIN, create_admin, settle, shot, ui_sign_in

BODY_BG = "() => getComputedStyle(document.body).backgroundColor"
THEME = "() => document.documentElement.dataset.theme"


def test_theme_switch_persists(server, new_page):
    create_admin(server.base_url)
    page = new_page(theme="light")
    ui_sign_in(page, server.base_url, ADMIN["username"], ADMIN["password"])
    page.goto(f"{server.base_url}/app/settings/appearance")
    settle(page)
    assert page.evaluate(THEME) == "light"
    expect(page.locator("#theme-light")).to_be_checked()
    light_bg = page.evaluate(BODY_BG)

    page.click("label[for=theme-dark]")
    assert page.evaluate(THEME) == "dark"
    assert page.evaluate("() => localStorage.getItem('gc-theme')") == "dark"
    dark_bg = page.evaluate(BODY_BG)
    assert dark_bg != light_bg, (light_bg, dark_bg)
    shot(page, "flow-theme-dark")

    page.reload()
    settle(page)
    assert page.evaluate(THEME) == "dark"
    assert page.evaluate(BODY_BG) == dark_bg
    expect(page.locator("#theme-dark")).to_be_checked()

    # "System" follows the OS: the browser context reports light, then dark.
    page.emulate_media(color_scheme="light")
    page.click("label[for=theme-system]")
    assert page.evaluate(THEME) == "system"
    assert page.evaluate(BODY_BG) == light_bg
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_attribute("data-color-scheme", "dark")
    assert page.evaluate(BODY_BG) == dark_bg
    page.click("label[for=theme-light]")
    assert page.evaluate(THEME) == "light"
    assert page.evaluate(BODY_BG) == light_bg


def test_phone_layout_drawer_navigation(server, new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    ui_sign_in(page, server.base_url, ADMIN["username"], ADMIN["password"])
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_be_hidden()
    expect(page.locator("#menu-toggle")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    page.click("#menu-toggle")
    expect(sidebar).to_be_visible()
    expect(page.locator("#menu-toggle")).to_have_attribute("aria-expanded", "true")
    page.wait_for_timeout(300)  # let the slide-in finish for the screenshot
    shot(page, "flow-phone-drawer")
    page.click("[data-testid=nav-build]")
    page.wait_for_url("**/app/build")
    expect(page.get_by_role("heading", name="Build installer")).to_be_visible()
    expect(sidebar).to_be_hidden()
    expect(page.locator("#build-form")).to_be_visible()  # the installer form, usable on a phone

    # The backdrop closes the drawer too.
    page.click("#menu-toggle")
    expect(sidebar).to_be_visible()
    page.mouse.click(370, 400)  # right of the 300px drawer, on the backdrop
    expect(sidebar).to_be_hidden()

    page.click("#menu-toggle")
    page.click("[data-testid=nav-settings]")
    page.wait_for_url("**/app/settings/account")
    expect(page.locator("[data-testid=settings-nav-appearance]")).to_be_visible()
    page.click("[data-testid=settings-nav-appearance]")
    page.wait_for_url("**/app/settings/appearance")
    expect(page.locator("#theme-dark")).to_be_attached()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
