"""Shared steps of the attended-support end-to-end tests (tests/browser/test_attended_support_e2e.py
and tests/wine/test_wine_attended_support.py): the technician's Support tab (a session's row,
generating a code), the end user's portal download, and checking that the end user's desktop is
on the viewer's canvas."""
import time

from viewer_steps import canvas_samples


def support_row(page, code):
    return page.locator(f'[data-testid="support-row"][data-code="{code}"]')


def generate_code(page):
    """Generates a one-time code on the technician's Support tab and returns it."""
    page.click("#support-generate")
    page.click("#generate-submit")
    code = page.locator("#generated-code").inner_text().strip()
    assert len(code) == 6 and code.isdigit(), code
    page.click("#generated-done")
    return code


def portal_download(page, base_url, code, folder, filename, timeout):
    """The end user's part in their own browser: the portal, the code, the download of `filename`
    (saved into `folder`)."""
    page.goto(f"{base_url}/")
    page.fill("#portal-code", code)
    with page.expect_download(timeout=timeout) as info:
        page.click("#portal-submit")
    download = info.value
    assert download.suggested_filename == filename
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


def assert_desktop_visible(page, size, root_colour, timeout, what):
    """Waits up to `timeout` s for most canvas samples to show the root colour, then asserts the
    canvas has the desktop's `size` and mostly that colour (`what` names the desktop)."""
    deadline = time.monotonic() + timeout
    while True:
        samples = canvas_samples(page, step=(97, 89))
        root = [s for s in samples["samples"] if tuple(s[2:]) == root_colour]
        if len(root) > len(samples["samples"]) // 2 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert (samples["width"], samples["height"]) == size
    assert len(root) > len(samples["samples"]) // 2, f"{what} is not on the canvas"
